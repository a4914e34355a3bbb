package com.agentcostcontrol.budget;

import java.time.Instant;
import java.util.UUID;

import com.agentcostcontrol.budget.core.BudgetDefinition;

/** A stored budget: its definition plus bookkeeping. */
public record Budget(BudgetDefinition definition, Instant updatedAt) {

    public UUID id() {
        return UUID.fromString(definition.id());
    }

    public UUID tenantId() {
        return UUID.fromString(definition.tenantId());
    }
}
