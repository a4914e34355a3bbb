package com.agentcostcontrol.budget.core.ratelimit;

import com.agentcostcontrol.budget.core.BudgetKeys;

/**
 * Redis key names of the rate limits. Every key carries the tenant's hash tag {@code {<tenantId>}}, so
 * one script touches one Redis Cluster slot for all limits of a call (key and tenant limits alike).
 */
public final class RateLimitKeys {

    public static final String PREFIX = "acc:rl:";

    private RateLimitKeys() {
    }

    public static String tenantPrefix(String tenantId) {
        return PREFIX + "{" + BudgetKeys.checkId("tenant id", tenantId) + "}:";
    }

    /**
     * Requests/tokens: hash {@code u} (used units), {@code t} (ms of last update); concurrency: sorted set of
     * request id to lease expiry. The window is part of the name so a per-minute and a per-hour limit of
     * the same scope never share a bucket.
     */
    public static String limit(String tenantId, RateLimit limit) {
        String base = tenantPrefix(tenantId) + limit.scope().keySegment() + ":" + limit.kind().code();
        return limit.kind() == RateLimit.Kind.CONCURRENCY ? base : base + ":" + limit.window().toMillis();
    }

    /** {@code "<admitted at ms>|<estimated tokens>"} while a call is admitted and not yet settled. */
    public static String pending(String tenantId, String requestId) {
        return tenantPrefix(tenantId) + "p:" + BudgetKeys.checkId("request id", requestId);
    }
}
