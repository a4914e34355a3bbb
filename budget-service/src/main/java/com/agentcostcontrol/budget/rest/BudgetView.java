package com.agentcostcontrol.budget.rest;

import java.time.Instant;
import java.util.List;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.Money;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A budget as the API shows it; money as decimal strings. */
public record BudgetView(String id, String tenantId, Scope scope, String period, String limitUsd, String mode,
        List<Integer> alertThresholds, String timezone, Instant createdAt, Instant updatedAt) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scope(String type, String id, String model) {
    }

    static BudgetView of(Budget b) {
        BudgetDefinition d = b.definition();
        return new BudgetView(d.id(), d.tenantId(), new Scope(d.scope().type().wire(), d.scope().id(), d.scope().model()),
                d.period().wire(), Money.formatUsd(d.limitMicros()), d.mode().wire(), d.alertThresholds(), d.zone().getId(),
                d.createdAt(), b.updatedAt());
    }
}
