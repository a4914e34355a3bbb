package com.agentcostcontrol.security.core;

import java.math.BigInteger;

/** Checks that turn a pattern match into a finding: checksums and randomness. */
public final class Validators {

    private Validators() {
    }

    /** Luhn checksum over the digits of {@code s} (other characters ignored); 13-19 digits. */
    public static boolean luhn(CharSequence s) {
        int sum = 0;
        int digits = 0;
        boolean doubleIt = false;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            digits++;
            doubleIt = !doubleIt;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0;
    }

    /** A card number: Luhn-valid, a known issuer prefix, not all one digit. */
    public static boolean cardNumber(CharSequence s) {
        String d = digits(s);
        if (d.length() < 13 || d.length() > 19 || allSame(d)) {
            return false;
        }
        int two = Integer.parseInt(d.substring(0, 2));
        int four = Integer.parseInt(d.substring(0, 4));
        boolean issuer = d.charAt(0) == '4' // Visa
                || two >= 51 && two <= 55 || four >= 2221 && four <= 2720 // Mastercard
                || two == 34 || two == 37 // Amex
                || four == 6011 || two == 65 || four / 10 >= 644 && four / 10 <= 649 // Discover
                || four >= 3528 && four <= 3589 // JCB
                || two == 36 || four / 10 >= 300 && four / 10 <= 305 // Diners
                || two == 62; // UnionPay
        return issuer && luhn(d);
    }

    /** IBAN mod-97 check (ISO 13616) on the compact form (spaces removed, upper-case). */
    public static boolean iban(CharSequence s) {
        String compact = s.toString().replace(" ", "").toUpperCase();
        if (compact.length() < 15 || compact.length() > 34) {
            return false;
        }
        String rearranged = compact.substring(4) + compact.substring(0, 4);
        StringBuilder numeric = new StringBuilder(rearranged.length() * 2);
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            if (c >= '0' && c <= '9') {
                numeric.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                numeric.append(c - 'A' + 10);
            } else {
                return false;
            }
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    /** Shannon entropy in bits per character. */
    public static double entropy(CharSequence s) {
        if (s.length() == 0) {
            return 0;
        }
        java.util.Map<Character, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < s.length(); i++) {
            counts.merge(s.charAt(i), 1, Integer::sum);
        }
        double h = 0;
        for (int count : counts.values()) {
            double p = (double) count / s.length();
            h -= p * (Math.log(p) / Math.log(2));
        }
        return h;
    }

    private static boolean allSame(String s) {
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) != s.charAt(0)) {
                return false;
            }
        }
        return true;
    }

    static String digits(CharSequence s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
