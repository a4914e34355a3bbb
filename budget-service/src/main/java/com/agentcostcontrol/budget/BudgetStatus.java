package com.agentcostcontrol.budget;

import java.time.Instant;

/**
 * A budget's state in its current period with a forecast; money in micro-USD.
 *
 * @param periodStart     start of the current period (creation time for {@code total} budgets)
 * @param periodEnd       end of the current period; {@code null} for {@code total}
 * @param projectedMicros forecast spend at period end (for {@code total}: the current spend)
 * @param exhaustionAt    forecast time the limit is reached within this period; {@code null} if not
 */
public record BudgetStatus(long limitMicros, long spentMicros, long reservedMicros, long remainingMicros,
        Instant periodStart, Instant periodEnd, long projectedMicros, Instant exhaustionAt) {
}
