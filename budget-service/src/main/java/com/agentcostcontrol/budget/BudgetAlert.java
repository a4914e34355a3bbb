package com.agentcostcontrol.budget;

import java.time.Instant;
import java.util.UUID;

/** A threshold of a budget crossed in one period (fires once per period). */
public record BudgetAlert(UUID budgetId, Instant periodStart, int threshold, long spentMicros, long limitMicros,
        Instant firedAt) {
}
