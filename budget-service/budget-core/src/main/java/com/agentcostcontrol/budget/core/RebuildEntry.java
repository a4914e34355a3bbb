package com.agentcostcontrol.budget.core;

/**
 * A ledger total to restore into a counter.
 *
 * @param budget      the budget
 * @param window      the period the total covers
 * @param spentMicros the ledger's total spend of the budget in that period
 */
public record RebuildEntry(BudgetDefinition budget, PeriodWindow window, long spentMicros) {
}
