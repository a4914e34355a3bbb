package com.agentcostcontrol.budget.core;

import java.util.List;

/**
 * Counters read by {@link BudgetEngine#status}.
 *
 * @param synced whether the tenant's counters are known to be complete (false after Redis lost data,
 *               until a rebuild from the ledger)
 * @param usages one entry per requested budget, in request order
 */
public record CounterSnapshot(boolean synced, List<BudgetUsage> usages) {

    public CounterSnapshot {
        usages = List.copyOf(usages);
    }
}
