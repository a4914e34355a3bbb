package com.agentcostcontrol.security.core;

import java.util.List;

/**
 * Finds one kind of sensitive content. The scanner never runs a detector's pattern at every
 * position of a text: a detector with {@link #keywords()} is tried only where one of its keywords
 * starts ({@link KeywordIndex}, one Aho-Corasick pass for all detectors); a {@link #numeric()} one
 * only where a digit group starts inside a run of at least {@link NumericRuns#MIN_DIGITS} digits.
 * So a 100 KB prompt costs two linear passes plus work proportional to the candidate places.
 */
public interface Detector {

    String id();

    Category category();

    /**
     * Lower-case ASCII literals every match starts with (case-insensitively); empty for a numeric
     * detector.
     */
    List<String> keywords();

    /** A keyword-less detector whose matches start at a digit group ({@code (}, {@code +} or a digit). */
    default boolean numeric() {
        return false;
    }

    /**
     * Appends to {@code out} the findings of matches starting at the ascending {@code candidates}
     * (positions in {@code text}).
     */
    void scan(String text, IntList candidates, List<Finding> out);

    /**
     * For streamed text: the first of the ascending {@code candidates} where a match is still open,
     * i.e. where text appended later could complete, extend or change a finding (a regex that hit the
     * end of the text); {@code text.length()} when none is. The default is conservative: the first
     * candidate (a candidate is never before the start of a match).
     */
    default int openFrom(String text, IntList candidates) {
        return candidates.isEmpty() ? text.length() : candidates.get(0);
    }
}
