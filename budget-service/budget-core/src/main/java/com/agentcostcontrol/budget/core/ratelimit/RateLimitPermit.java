package com.agentcostcontrol.budget.core.ratelimit;

import java.util.List;

/**
 * What an admitted call holds: keep it with the call and hand it to {@link RateLimiter#settle} when the
 * call ends (also when it fails), so the token estimate is corrected and the concurrency leases end.
 *
 * @param tenantId        the tenant (every limit's keys carry its hash tag)
 * @param requestId       the call's request id
 * @param estimatedTokens tokens taken up front (prompt estimate + max output)
 * @param limits          the limits taken
 */
public record RateLimitPermit(String tenantId, String requestId, long estimatedTokens, List<RateLimit> limits) {

    public RateLimitPermit {
        limits = List.copyOf(limits);
    }
}
