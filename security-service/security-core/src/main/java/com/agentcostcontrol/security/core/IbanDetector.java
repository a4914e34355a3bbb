package com.agentcostcontrol.security.core;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IBANs, compact or printed in groups of four, with the ISO 13616 mod-97 check. The candidate regex
 * is possessive and may run into a following upper-case word; the country's IBAN length (or, for a
 * country not in the table, the longest valid prefix) decides where the IBAN really ends.
 */
final class IbanDetector implements Detector {

    private static final Pattern CANDIDATE = Pattern.compile("[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}+");

    /** IBAN lengths of common countries (SWIFT IBAN registry). */
    private static final Map<String, Integer> LENGTHS = Map.ofEntries(Map.entry("AT", 20), Map.entry("BE", 16),
            Map.entry("CH", 21), Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DK", 18), Map.entry("ES", 24),
            Map.entry("FI", 18), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GR", 27), Map.entry("IE", 22),
            Map.entry("IT", 27), Map.entry("LU", 20), Map.entry("NL", 18), Map.entry("NO", 15), Map.entry("PL", 28),
            Map.entry("PT", 25), Map.entry("SE", 24), Map.entry("SK", 24), Map.entry("HU", 28), Map.entry("RO", 24));

    @Override
    public String id() {
        return "iban";
    }

    @Override
    public Category category() {
        return Category.PII;
    }

    @Override
    public List<String> keywords() {
        return List.of();
    }

    @Override
    public boolean numeric() {
        return true;
    }

    /** Candidates are digit groups; an IBAN starts up to 30 characters before one, at {@code [A-Z]{2}[0-9]{2}}. */
    @Override
    public void scan(String text, IntList candidates, List<Finding> out) {
        Matcher m = CANDIDATE.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        int covered = 0;
        int tried = -1;
        for (int k = 0; k < candidates.size(); k++) {
            int c = candidates.get(k);
            for (int p = Math.max(Math.max(covered, tried + 1), c - 30); p <= c - 2; p++) {
                tried = p;
                if (!ibanStart(text, p)) {
                    continue;
                }
                m.region(p, text.length());
                if (m.lookingAt()) {
                    int end = validEnd(text, p, m.end());
                    if (end > 0) {
                        out.add(new Finding(id(), category(), p, end, 1.0));
                        covered = end;
                        break;
                    }
                }
            }
        }
    }

    private static boolean ibanStart(String text, int p) {
        return p + 3 < text.length() && upper(text.charAt(p)) && upper(text.charAt(p + 1)) && digit(text.charAt(p + 2))
                && digit(text.charAt(p + 3)) && (p == 0 || !Character.isLetterOrDigit(text.charAt(p - 1)));
    }

    private static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The end of the valid IBAN starting at {@code start}, or -1. */
    private static int validEnd(String text, int start, int candidateEnd) {
        // Positions (in text) just after the n-th compact character.
        StringBuilder compact = new StringBuilder(34);
        int[] endAfter = new int[35];
        for (int i = start; i < candidateEnd && compact.length() < 34; i++) {
            char c = text.charAt(i);
            if (c != ' ') {
                compact.append(c);
                endAfter[compact.length()] = i + 1;
            }
        }
        Integer expected = LENGTHS.get(compact.substring(0, 2));
        if (expected != null) {
            return compact.length() >= expected && Validators.iban(compact.substring(0, expected))
                    && !continuesWord(text, endAfter[expected]) ? endAfter[expected] : -1;
        }
        for (int n = compact.length(); n >= 15; n--) {
            if (Validators.iban(compact.substring(0, n)) && !continuesWord(text, endAfter[n])) {
                return endAfter[n];
            }
        }
        return -1;
    }

    private static boolean continuesWord(String text, int at) {
        return at < text.length() && Character.isLetterOrDigit(text.charAt(at));
    }
}
