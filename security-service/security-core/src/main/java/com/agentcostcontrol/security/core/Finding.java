package com.agentcostcontrol.security.core;

/**
 * One detector hit: which detector, its category and the span {@code [start, end)} in the scanned
 * text. It deliberately carries no matched text, so a finding can be logged, counted or put in an
 * error message without leaking what it found; {@link Redactor#preview} gives a safe hint.
 *
 * @param score 1 for deterministic detectors; the rule's weight for injection heuristics
 */
public record Finding(String detector, Category category, int start, int end, double score) {

    public int length() {
        return end - start;
    }

    public boolean overlaps(Finding other) {
        return start < other.end && other.start < end;
    }
}
