package com.agentcostcontrol.budget.core;

import java.util.List;

/**
 * A lease holding {@code amountMicros} against every budget of one call. Keep it with the call and
 * hand it to {@link BudgetEngine#settle} or {@link BudgetEngine#release}.
 *
 * @param tenantId      the tenant (all budgets belong to it)
 * @param id            the reservation id (the request id), unique per call
 * @param amountMicros  the worst-case cost held
 * @param budgets       the budgets and the period each one is charged in
 */
public record Reservation(String tenantId, String id, long amountMicros, List<Charge> budgets) {

    /** A budget and the period a call is charged to (fixed at reservation, even if settled after a rollover). */
    public record Charge(BudgetDefinition budget, PeriodWindow window) {
        public String counterKey() {
            return BudgetKeys.counter(budget.tenantId(), budget.id(), window);
        }
    }

    public Reservation {
        budgets = List.copyOf(budgets);
    }

    public List<String> budgetIds() {
        return budgets.stream().map(c -> c.budget().id()).toList();
    }
}
