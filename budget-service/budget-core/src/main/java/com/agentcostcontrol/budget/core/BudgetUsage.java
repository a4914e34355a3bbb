package com.agentcostcontrol.budget.core;

/**
 * One budget's counter in one period, as read or left by a script.
 *
 * @param budget         the budget
 * @param window         the period the counter belongs to
 * @param spentMicros    settled spend
 * @param reservedMicros held by live reservations
 */
public record BudgetUsage(BudgetDefinition budget, PeriodWindow window, long spentMicros, long reservedMicros) {

    /** What is left for new reservations; never negative. */
    public long remainingMicros() {
        return Math.max(0, budget.limitMicros() - spentMicros - reservedMicros);
    }

    /** Whether {@code spent + reserved} is over the limit (possible for soft budgets and late settles). */
    public boolean over() {
        return spentMicros + reservedMicros > budget.limitMicros();
    }
}
