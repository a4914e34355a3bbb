package com.agentcostcontrol.budget.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One period of a budget: {@code [start, end)}. For {@code total} budgets {@code start} is the
 * epoch and {@code end} is {@code null} (the period never ends).
 */
public record PeriodWindow(Instant start, Instant end) {

    public PeriodWindow {
        Objects.requireNonNull(start, "start");
        if (end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("period end must be after its start");
        }
    }

    public boolean unbounded() {
        return end == null;
    }

    public boolean contains(Instant at) {
        return !at.isBefore(start) && (end == null || at.isBefore(end));
    }

    /** The token naming this period in a counter key: start epoch seconds, or {@code total}. */
    public String token() {
        return end == null ? "total" : Long.toString(start.getEpochSecond());
    }
}
