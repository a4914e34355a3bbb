package com.agentcostcontrol.budget.core.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The header helper is a pure function: OpenAI's names, Go-style durations, ceil'd Retry-After. */
class RateLimitHeadersTest {

    private static final RateLimitScope KEY = RateLimitScope.key("k1");
    private static final RateLimitScope TENANT = RateLimitScope.tenant();

    @Test
    void formatsDurationsAsGoAndOpenAiDo() {
        assertEquals("0s", RateLimitHeaders.formatDuration(Duration.ZERO));
        assertEquals("0s", RateLimitHeaders.formatDuration(Duration.ofMillis(-5)));
        assertEquals("1ms", RateLimitHeaders.formatDuration(Duration.ofMillis(1)));
        assertEquals("12ms", RateLimitHeaders.formatDuration(Duration.ofMillis(12)));
        assertEquals("999ms", RateLimitHeaders.formatDuration(Duration.ofMillis(999)));
        assertEquals("1s", RateLimitHeaders.formatDuration(Duration.ofSeconds(1)));
        assertEquals("1.5s", RateLimitHeaders.formatDuration(Duration.ofMillis(1500)));
        assertEquals("1.05s", RateLimitHeaders.formatDuration(Duration.ofMillis(1050)));
        assertEquals("59.999s", RateLimitHeaders.formatDuration(Duration.ofMillis(59_999)));
        assertEquals("1m0s", RateLimitHeaders.formatDuration(Duration.ofMinutes(1)));
        assertEquals("6m0s", RateLimitHeaders.formatDuration(Duration.ofMinutes(6)));
        assertEquals("4m12.172s", RateLimitHeaders.formatDuration(Duration.ofMillis(252_172)));
        assertEquals("1h0m0s", RateLimitHeaders.formatDuration(Duration.ofHours(1)));
        assertEquals("1h0m5s", RateLimitHeaders.formatDuration(Duration.ofSeconds(3605)));
        assertEquals("23h47m36.648s", RateLimitHeaders.formatDuration(Duration.ofMillis(85_656_648)));
        assertEquals("25h0m0s", RateLimitHeaders.formatDuration(Duration.ofHours(25)));
        // Sub-millisecond precision is dropped (the limiter works in ms).
        assertEquals("12ms", RateLimitHeaders.formatDuration(Duration.ofNanos(12_900_000)));
    }

    @Test
    void retryAfterRoundsUpToWholeSecondsAndIsAtLeastOne() {
        assertEquals(1, RateLimitHeaders.retryAfterSeconds(Duration.ZERO));
        assertEquals(1, RateLimitHeaders.retryAfterSeconds(Duration.ofMillis(1)));
        assertEquals(1, RateLimitHeaders.retryAfterSeconds(Duration.ofMillis(1000)));
        assertEquals(2, RateLimitHeaders.retryAfterSeconds(Duration.ofMillis(1001)));
        assertEquals(360, RateLimitHeaders.retryAfterSeconds(Duration.ofMillis(359_001)));
        assertEquals(1, RateLimitHeaders.retryAfterSeconds(Duration.ofMillis(-10)));
    }

    @Test
    void reportsTheTightestLimitOfEachKind() {
        RateLimit keyRpm = RateLimit.requestsPerMinute(KEY, 60);
        RateLimit tenantRpm = RateLimit.requestsPerMinute(TENANT, 1000);
        RateLimit keyTpm = RateLimit.tokensPerMinute(KEY, 150_000);
        RateLimit tenantTpm = RateLimit.tokensPerMinute(TENANT, 2_000_000);
        RateLimit busy = RateLimit.concurrency(KEY, 4);
        List<RateLimitState> states = List.of(
                new RateLimitState(keyRpm, 59, Duration.ofSeconds(1)),
                new RateLimitState(tenantRpm, 5, Duration.ofMillis(59_940)),
                new RateLimitState(keyTpm, 149_984, Duration.ofMillis(6)),
                new RateLimitState(tenantTpm, 1_500_000, Duration.ofMinutes(6)),
                new RateLimitState(busy, 3, Duration.ZERO));

        Map<String, String> h = RateLimitHeaders.of(states);
        assertEquals(List.of("x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
                "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens"), List.copyOf(h.keySet()));
        // The tenant has fewer requests left than the key: its limit is the one that will bite.
        assertEquals("1000", h.get("x-ratelimit-limit-requests"));
        assertEquals("5", h.get("x-ratelimit-remaining-requests"));
        assertEquals("59.94s", h.get("x-ratelimit-reset-requests"));
        assertEquals("150000", h.get("x-ratelimit-limit-tokens"));
        assertEquals("149984", h.get("x-ratelimit-remaining-tokens"));
        assertEquals("6ms", h.get("x-ratelimit-reset-tokens"));
    }

    @Test
    void onEqualRemainingTheLongerResetWinsAndAbsentKindsHaveNoHeaders() {
        RateLimit a = RateLimit.requestsPerMinute(KEY, 10);
        RateLimit b = RateLimit.requestsPerMinute(TENANT, 20);
        Map<String, String> h = RateLimitHeaders.of(List.of(new RateLimitState(a, 0, Duration.ofSeconds(2)),
                new RateLimitState(b, 0, Duration.ofSeconds(30))));
        assertEquals(Map.of("x-ratelimit-limit-requests", "20", "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "30s"), h);
        assertTrue(RateLimitHeaders.of(List.of(new RateLimitState(RateLimit.concurrency(KEY, 2), 1, Duration.ZERO))).isEmpty());
        assertTrue(RateLimitHeaders.of(List.of()).isEmpty());
    }

    @Test
    void refusalMessagesNameTheLimit() {
        RateLimit tpm = RateLimit.tokensPerMinute(KEY, 10_000);
        RateLimitState s = new RateLimitState(tpm, 300, Duration.ofSeconds(3));
        RateLimitDecision.Refused limited = new RateLimitDecision.Refused(s, RateLimitDecision.Reason.LIMITED,
                Duration.ofMillis(1_800), 500, List.of(s));
        assertEquals("Rate limit reached for key k1 on tokens per minute: limit 10000, remaining 300, requested 500. "
                + "Please try again in 1.8s.", limited.message());
        assertEquals(2, limited.retryAfterSeconds().getAsLong());

        RateLimitDecision.Refused tooLarge = new RateLimitDecision.Refused(s, RateLimitDecision.Reason.TOO_LARGE, null,
                20_000, List.of(s));
        assertEquals("Request too large for key k1 on tokens per minute: limit 10000, requested 20000. "
                + "Reduce the prompt or max_tokens.", tooLarge.message());
        assertTrue(tooLarge.retryAfterSeconds().isEmpty());

        RateLimit busy = RateLimit.concurrency(TENANT, 8);
        RateLimitState b = new RateLimitState(busy, 0, Duration.ZERO);
        assertEquals("Concurrency limit reached for tenant: at most 8 requests in flight. Please try again in 1s.",
                new RateLimitDecision.Refused(b, RateLimitDecision.Reason.LIMITED, Duration.ofSeconds(1), 1, List.of(b)).message());
        assertEquals("requests per hour", new RateLimit(KEY, RateLimit.Kind.REQUESTS, 5, Duration.ofHours(1)).describe());
        assertEquals("tokens per 10s", new RateLimit(KEY, RateLimit.Kind.TOKENS, 5, Duration.ofSeconds(10)).describe());
    }

    @Test
    void rejectsLimitsTheScriptsCannotCountExactly() {
        assertThrows(IllegalArgumentException.class, () -> RateLimit.requestsPerMinute(KEY, 0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(KEY, RateLimit.Kind.TOKENS, 5, Duration.ofMillis(500)));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(KEY, RateLimit.Kind.TOKENS, 5, Duration.ofHours(2)));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(KEY, RateLimit.Kind.TOKENS, 5, Duration.ofNanos(1_000_000_001)));
        assertThrows(IllegalArgumentException.class, () -> RateLimit.tokensPerMinute(KEY, RateLimit.MAX_UNITS / 60_000 + 1));
        RateLimit.tokensPerMinute(KEY, RateLimit.MAX_UNITS / 60_000);
        assertThrows(IllegalArgumentException.class, () -> RateLimitScope.key("has space"));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitScope(RateLimitScope.Type.TENANT, "x"));
    }
}
