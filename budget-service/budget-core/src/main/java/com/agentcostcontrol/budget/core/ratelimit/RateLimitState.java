package com.agentcostcontrol.budget.core.ratelimit;

import java.time.Duration;

/**
 * Where one limit stands.
 *
 * @param limit     the limit
 * @param remaining requests or tokens that could still be taken now, or free concurrency slots
 * @param reset     time until the limit is back at its full allowance, as OpenAI's
 *                  {@code x-ratelimit-reset-*} (zero for concurrency limits)
 */
public record RateLimitState(RateLimit limit, long remaining, Duration reset) {
}
