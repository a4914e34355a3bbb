package com.agentcostcontrol.budget;

import java.time.ZoneId;
import java.util.List;

import com.agentcostcontrol.budget.core.BudgetMode;
import com.agentcostcontrol.budget.core.BudgetPeriod;
import com.agentcostcontrol.budget.core.BudgetScope;

/** A validated budget as asked for by {@code POST}/{@code PUT /v1/budgets}. */
public record BudgetSpec(BudgetScope scope, BudgetPeriod period, long limitMicros, BudgetMode mode,
        List<Integer> alertThresholds, ZoneId zone) {

    public BudgetSpec {
        alertThresholds = List.copyOf(alertThresholds);
    }
}
