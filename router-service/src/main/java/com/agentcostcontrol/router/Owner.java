package com.agentcostcontrol.router;

import java.util.UUID;

/**
 * Whose routing rows an operation acts on: the operator level ({@code tenant_id} NULL, visible to
 * every tenant) or one tenant.
 */
public record Owner(UUID tenantId) {

    public static final Owner OPERATOR = new Owner(null);

    public static Owner tenant(UUID tenantId) {
        if (tenantId == null) {
            throw new IllegalArgumentException("a tenant owner needs a tenant id");
        }
        return new Owner(tenantId);
    }

    public boolean isOperator() {
        return tenantId == null;
    }
}
