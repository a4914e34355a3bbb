package com.agentcostcontrol.security.core;

import java.util.List;

/**
 * E-mail addresses, found from each {@code @} (the keyword) outwards (local part up to 64 characters, a domain with
 * at least one dot and an alphabetic TLD of 2+ letters). Hand-written rather than a regex so it is
 * linear even on long runs of address-like characters.
 */
final class EmailDetector implements Detector {

    @Override
    public String id() {
        return "email";
    }

    @Override
    public Category category() {
        return Category.PII;
    }

    @Override
    public List<String> keywords() {
        return List.of("@");
    }

    @Override
    public void scan(String text, IntList ats, List<Finding> out) {
        int lastEnd = 0;
        for (int k = 0; k < ats.size(); k++) {
            int at = ats.get(k);
            if (at < lastEnd) {
                continue;
            }
            int start = at;
            while (start > lastEnd && at - start < 64 && local(text.charAt(start - 1))) {
                start--;
            }
            if (start == at || text.charAt(start) == '.') {
                continue;
            }
            int end = at + 1;
            int lastDot = -1;
            while (end < text.length() && end - at <= 253 && domain(text.charAt(end))) {
                if (text.charAt(end) == '.') {
                    lastDot = end;
                }
                end++;
            }
            // A trailing dot ends the sentence, not the address.
            while (end > at + 1 && text.charAt(end - 1) == '.') {
                end--;
                lastDot = text.lastIndexOf('.', end - 1);
            }
            if (lastDot <= at + 1 || end - lastDot - 1 < 2 || !alphabetic(text, lastDot + 1, end)) {
                continue;
            }
            out.add(new Finding(id(), category(), start, end, 1.0));
            lastEnd = end;
        }
    }

    private static boolean local(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '%'
                || c == '+' || c == '-';
    }

    private static boolean domain(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-';
    }

    private static boolean alphabetic(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Open while the text ends in a run of local-part characters (it may yet be followed by
     * {@code @}) or in an address whose domain is still running.
     */
    @Override
    public int openFrom(String text, IntList ats) {
        int n = text.length();
        int open = n;
        for (int k = ats.size() - 1; k >= 0; k--) {
            int at = ats.get(k);
            int end = at + 1;
            while (end < n && end - at <= 253 && domain(text.charAt(end))) {
                end++;
            }
            if (end == n) {
                open = localStart(text, at);
            } else {
                break;
            }
        }
        return Math.min(open, localStart(text, n));
    }

    private static int localStart(String text, int at) {
        int start = at;
        while (start > 0 && at - start < 64 && local(text.charAt(start - 1))) {
            start--;
        }
        return start;
    }
}
