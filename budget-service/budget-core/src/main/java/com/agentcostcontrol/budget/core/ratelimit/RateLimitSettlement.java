package com.agentcostcontrol.budget.core.ratelimit;

import java.util.List;

/**
 * The answer to {@link RateLimiter#settle}.
 *
 * @param settled false when the call was already settled or its marker expired: tokens were left as
 *                they were (its concurrency leases are ended either way)
 * @param states  every limit's state after the settle
 */
public record RateLimitSettlement(boolean settled, List<RateLimitState> states) {

    public RateLimitSettlement {
        states = List.copyOf(states);
    }
}
