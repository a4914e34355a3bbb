package com.agentcostcontrol.budget.rest;

import java.time.Instant;

import com.agentcostcontrol.budget.BudgetStatus;
import com.agentcostcontrol.budget.core.Money;

/** {@code GET /v1/budgets/{id}/status}; money as decimal strings, {@code periodEnd} null for total budgets. */
public record BudgetStatusView(String budgetId, String limitUsd, String spentUsd, String reservedUsd, String remainingUsd,
        Instant periodStart, Instant periodEnd, Forecast forecast) {

    /** Projected spend at period end and when the limit is forecast to be reached ({@code null}: not this period). */
    public record Forecast(String projectedUsd, Instant exhaustionAt) {
    }

    static BudgetStatusView of(String budgetId, BudgetStatus s) {
        return new BudgetStatusView(budgetId, Money.formatUsd(s.limitMicros()), Money.formatUsd(s.spentMicros()),
                Money.formatUsd(s.reservedMicros()), Money.formatUsd(s.remainingMicros()), s.periodStart(), s.periodEnd(),
                new Forecast(Money.formatUsd(s.projectedMicros()), s.exhaustionAt()));
    }
}
