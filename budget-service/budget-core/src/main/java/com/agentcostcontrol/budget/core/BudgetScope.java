package com.agentcostcontrol.budget.core;

import java.util.Objects;

/**
 * The calls a budget counts.
 *
 * @param type  scope type
 * @param id    key id (KEY, KEY_MODEL), agent id (AGENT) or model name (MODEL); {@code null} for TENANT
 * @param model model name for KEY_MODEL; {@code null} otherwise
 */
public record BudgetScope(ScopeType type, String id, String model) {

    public BudgetScope {
        Objects.requireNonNull(type, "type");
        switch (type) {
            case TENANT -> {
                id = null;
                model = null;
            }
            case KEY_MODEL -> {
                requireText(id, "scope id (the key id)");
                requireText(model, "scope model");
            }
            default -> {
                requireText(id, "scope id");
                model = null;
            }
        }
    }

    public static BudgetScope tenant() {
        return new BudgetScope(ScopeType.TENANT, null, null);
    }

    public static BudgetScope key(String keyId) {
        return new BudgetScope(ScopeType.KEY, keyId, null);
    }

    public static BudgetScope agent(String agentId) {
        return new BudgetScope(ScopeType.AGENT, agentId, null);
    }

    public static BudgetScope model(String model) {
        return new BudgetScope(ScopeType.MODEL, model, null);
    }

    public static BudgetScope keyAndModel(String keyId, String model) {
        return new BudgetScope(ScopeType.KEY_MODEL, keyId, model);
    }

    /** Whether a call of the scope's tenant with these attributes is counted by this scope. */
    public boolean matches(CallContext call) {
        return switch (type) {
            case TENANT -> true;
            case KEY -> id.equals(call.keyId());
            case AGENT -> id.equals(call.agentId());
            case MODEL -> id.equals(call.model());
            case KEY_MODEL -> id.equals(call.keyId()) && model.equals(call.model());
        };
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }
}
