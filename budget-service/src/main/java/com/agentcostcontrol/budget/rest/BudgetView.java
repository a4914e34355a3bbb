package com.agentcostcontrol.budget.rest;

import java.time.Instant;
import java.util.List;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.Money;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A budget as the API shows it; money as decimal strings; {@code downgrade} null without a policy. */
public record BudgetView(String id, String tenantId, Scope scope, String period, String limitUsd, String mode,
        List<Integer> alertThresholds, String timezone, Downgrade downgrade, Instant createdAt, Instant updatedAt) {

    public record Downgrade(String model, int atPercent) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scope(String type, String id, String model) {
    }

    static BudgetView of(Budget b) {
        BudgetDefinition d = b.definition();
        return new BudgetView(d.id(), d.tenantId(), new Scope(d.scope().type().wire(), d.scope().id(), d.scope().model()),
                d.period().wire(), Money.formatUsd(d.limitMicros()), d.mode().wire(), d.alertThresholds(), d.zone().getId(),
                d.downgrade() == null ? null : new Downgrade(d.downgrade().model(), d.downgrade().atPercent()),
                d.createdAt(), b.updatedAt());
    }
}
