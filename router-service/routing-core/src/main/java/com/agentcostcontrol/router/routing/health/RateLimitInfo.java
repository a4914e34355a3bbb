package com.agentcostcontrol.router.routing.health;

import java.time.Duration;

/**
 * What a provider's response headers say about its rate limits (see {@link RateLimitHeaders}).
 * Every field is {@code null} when the provider did not say.
 *
 * @param remainingRequests requests left in the current window
 * @param requestsReset     when the request window resets, from the response's time
 * @param remainingTokens   tokens left in the current window (the smallest of the token limits given)
 * @param tokensReset       when that token window resets
 * @param retryAfter        how long to wait before trying again ({@code retry-after-ms} / {@code retry-after})
 */
public record RateLimitInfo(Long remainingRequests, Duration requestsReset, Long remainingTokens, Duration tokensReset,
        Duration retryAfter) {

    public static final RateLimitInfo NONE = new RateLimitInfo(null, null, null, null, null);

    public boolean isEmpty() {
        return remainingRequests == null && remainingTokens == null && retryAfter == null;
    }

    /** Only a Retry-After (e.g. a gateway's own 503 with a wait). */
    public static RateLimitInfo retryAfter(Duration wait) {
        return new RateLimitInfo(null, null, null, null, wait);
    }
}
