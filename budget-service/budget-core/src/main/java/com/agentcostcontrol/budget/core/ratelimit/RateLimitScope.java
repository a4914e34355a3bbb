package com.agentcostcontrol.budget.core.ratelimit;

import java.util.Objects;

import com.agentcostcontrol.budget.core.BudgetKeys;

/**
 * Whose traffic a rate limit counts: the whole tenant, or one virtual key of it.
 *
 * @param type whose traffic
 * @param id   the virtual key's id for {@link Type#KEY}; {@code null} for {@link Type#TENANT}
 */
public record RateLimitScope(Type type, String id) {

    public enum Type {
        TENANT,
        KEY
    }

    public RateLimitScope {
        Objects.requireNonNull(type, "type");
        if (type == Type.TENANT && id != null) {
            throw new IllegalArgumentException("a tenant rate-limit scope has no id");
        }
        if (type == Type.KEY) {
            BudgetKeys.checkId("key id", id);
        }
    }

    public static RateLimitScope tenant() {
        return new RateLimitScope(Type.TENANT, null);
    }

    public static RateLimitScope key(String keyId) {
        return new RateLimitScope(Type.KEY, keyId);
    }

    /** The scope's part of a Redis key: {@code tenant} or {@code key:<id>}. */
    String keySegment() {
        return type == Type.TENANT ? "tenant" : "key:" + id;
    }

    /** For messages: {@code "tenant"} or {@code "key <id>"}. */
    public String describe() {
        return type == Type.TENANT ? "tenant" : "key " + id;
    }
}
