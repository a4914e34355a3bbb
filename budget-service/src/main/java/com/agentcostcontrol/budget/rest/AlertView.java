package com.agentcostcontrol.budget.rest;

import java.time.Instant;

import com.agentcostcontrol.budget.BudgetAlert;
import com.agentcostcontrol.budget.core.Money;

/** One fired alert threshold; {@code periodStart} is 1970-01-01 for total budgets. */
public record AlertView(int threshold, Instant periodStart, String spentUsd, String limitUsd, Instant firedAt) {

    static AlertView of(BudgetAlert a) {
        return new AlertView(a.threshold(), a.periodStart(), Money.formatUsd(a.spentMicros()), Money.formatUsd(a.limitMicros()),
                a.firedAt());
    }
}
