package com.agentcostcontrol.security.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Rewrites texts without their findings, and describes a finding without revealing it. */
public final class Redactor {

    private Redactor() {
    }

    /** The replacement of a redacted span. */
    public static String marker(String detector) {
        return "[REDACTED:" + detector + "]";
    }

    /**
     * {@code text} with each finding's span replaced by {@link #marker}; overlapping spans merge into
     * one marker named after the first finding (by start, then priority, as the scanner sorts them).
     */
    public static String redact(String text, List<Finding> findings) {
        if (findings.isEmpty()) {
            return text;
        }
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingInt(Finding::start));
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        int i = 0;
        while (i < sorted.size()) {
            Finding first = sorted.get(i);
            int end = first.end();
            int j = i + 1;
            while (j < sorted.size() && sorted.get(j).start() < end) {
                end = Math.max(end, sorted.get(j).end());
                j++;
            }
            out.append(text, copied, first.start()).append(marker(first.detector()));
            copied = end;
            i = j;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * A hint safe to show an operator: at most the first 4 characters (fewer for short spans, none
     * for spans under 8) and the length, e.g. {@code sk-p…(56 chars)}.
     */
    public static String preview(String text, Finding f) {
        int shown = f.length() < 8 ? 0 : Math.min(4, f.length() / 4);
        return text.substring(f.start(), f.start() + shown) + "…(" + f.length() + " chars)";
    }
}
