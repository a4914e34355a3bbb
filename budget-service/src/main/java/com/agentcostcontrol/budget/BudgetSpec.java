package com.agentcostcontrol.budget;

import java.time.ZoneId;
import java.util.List;

import com.agentcostcontrol.budget.core.BudgetMode;
import com.agentcostcontrol.budget.core.BudgetPeriod;
import com.agentcostcontrol.budget.core.BudgetScope;
import com.agentcostcontrol.budget.core.DowngradePolicy;

/**
 * A validated budget as asked for by {@code POST}/{@code PUT /v1/budgets}; {@code downgrade} is null
 * without a policy (its model is checked against the catalog by the service, which has the database).
 */
public record BudgetSpec(BudgetScope scope, BudgetPeriod period, long limitMicros, BudgetMode mode,
        List<Integer> alertThresholds, ZoneId zone, DowngradePolicy downgrade) {

    public BudgetSpec(BudgetScope scope, BudgetPeriod period, long limitMicros, BudgetMode mode,
            List<Integer> alertThresholds, ZoneId zone) {
        this(scope, period, limitMicros, mode, alertThresholds, zone, null);
    }

    public BudgetSpec {
        alertThresholds = List.copyOf(alertThresholds);
    }
}
