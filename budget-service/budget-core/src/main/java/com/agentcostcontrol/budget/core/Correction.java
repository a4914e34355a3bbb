package com.agentcostcontrol.budget.core;

/**
 * One counter for reconciliation to set to the ledger's total, if it still holds what was observed.
 *
 * @param budget         the budget
 * @param window         the period of the counter
 * @param observedMicros the counter's settled spend when the reconciler read it
 * @param ledgerMicros   the ledger's total spend of the budget in that period
 */
public record Correction(BudgetDefinition budget, PeriodWindow window, long observedMicros, long ledgerMicros) {

    /** Counter minus ledger: positive when Redis counts more than the ledger. */
    public long driftMicros() {
        return observedMicros - ledgerMicros;
    }

    /** What the compare-and-set did to the counter. */
    public record Result(Correction correction, boolean applied, long spentMicros, long reservedMicros) {
    }
}
