package com.agentcostcontrol.security.core;

/**
 * Where numeric PII (cards, IBANs, SSNs, phone numbers) can start: in runs of digits and separators
 * ({@code space - . ( ) + /}) holding at least {@link #MIN_DIGITS} digits, at each digit group's
 * first digit and at each {@code (} or {@code +}. One linear pass.
 */
final class NumericRuns {

    /** Fewest digits of any numeric detector's match (a card has 13, an SSN 9, a phone number 9+). */
    static final int MIN_DIGITS = 9;

    private NumericRuns() {
    }

    static IntList candidates(String text) {
        IntList out = new IntList();
        IntList run = new IntList();
        int n = text.length();
        int digits = 0;
        char prev = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : '\n';
            boolean digit = c >= '0' && c <= '9';
            if (digit || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+' || c == '/') {
                if (digit) {
                    digits++;
                    if (!(prev >= '0' && prev <= '9')) {
                        run.add(i);
                    }
                } else if (c == '(' || c == '+') {
                    run.add(i);
                }
            } else {
                if (digits >= MIN_DIGITS) {
                    for (int k = 0; k < run.size(); k++) {
                        out.add(run.get(k));
                    }
                }
                run.clear();
                digits = 0;
            }
            prev = c;
        }
        return out;
    }

    /** Longest span {@link #trailingRun} looks back: a grouped IBAN (42) or a card or phone number fits. */
    static final int TRAILING_LOOKBACK = 64;

    /**
     * Where a numeric finding may still be in the making at the end of a streamed text: the start of
     * the trailing run (at most {@link #TRAILING_LOOKBACK} characters) of digits, separators and
     * upper-case letters (IBANs) holding a digit, {@code (} or {@code +}; {@code text.length()} when there is none.
     */
    static int trailingRun(String text) {
        int n = text.length();
        int start = n;
        boolean digit = false;
        while (start > 0 && n - start < TRAILING_LOOKBACK) {
            char c = text.charAt(start - 1);
            boolean d = c >= '0' && c <= '9';
            if (!(d || c >= 'A' && c <= 'Z' || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+'
                    || c == '/')) {
                break;
            }
            digit |= d || c == '(' || c == '+';
            start--;
        }
        return digit ? start : n;
    }
}
