package com.agentcostcontrol.budget;

import java.time.Instant;
import java.util.UUID;

/** A budget forecast to run out before its period ends (fires once per period). */
public record ForecastAlert(UUID budgetId, Instant periodStart, long spentMicros, long limitMicros, long projectedMicros,
        Instant exhaustionAt, Instant firedAt) {
}
