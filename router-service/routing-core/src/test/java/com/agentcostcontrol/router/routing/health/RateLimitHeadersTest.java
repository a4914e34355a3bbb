package com.agentcostcontrol.router.routing.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RateLimitHeadersTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static RateLimitInfo parse(Map<String, String> headers) {
        return RateLimitHeaders.parse(headers.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))), NOW);
    }

    @Test
    void openAiHeadersWithGoDurations() {
        RateLimitInfo info = parse(Map.of(
                "x-ratelimit-limit-requests", "10000",
                "x-ratelimit-remaining-requests", "9999",
                "x-ratelimit-reset-requests", "6m0s",
                "x-ratelimit-remaining-tokens", "149984",
                "x-ratelimit-reset-tokens", "6ms"));
        assertEquals(new RateLimitInfo(9999L, Duration.ofMinutes(6), 149984L, Duration.ofMillis(6), null), info);
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        RateLimitInfo info = parse(Map.of("X-RateLimit-Remaining-Requests", "3", "X-RateLimit-Reset-Requests", "1.5s",
                "Retry-After", "7"));
        assertEquals(3L, info.remainingRequests());
        assertEquals(Duration.ofMillis(1500), info.requestsReset());
        assertEquals(Duration.ofSeconds(7), info.retryAfter());
    }

    @Test
    void anthropicHeadersUseTheTightestTokenLimitAndRfc3339Resets() {
        RateLimitInfo info = parse(Map.of(
                "anthropic-ratelimit-requests-limit", "50",
                "anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", "2025-06-01T12:00:12Z",
                "anthropic-ratelimit-tokens-remaining", "90000",
                "anthropic-ratelimit-tokens-reset", "2025-06-01T12:01:00Z",
                "anthropic-ratelimit-input-tokens-remaining", "40000",
                "anthropic-ratelimit-input-tokens-reset", "2025-06-01T12:00:30Z",
                "anthropic-ratelimit-output-tokens-remaining", "8000",
                "anthropic-ratelimit-output-tokens-reset", "2025-06-01T12:00:45+00:00",
                "retry-after", "12"));
        assertEquals(new RateLimitInfo(0L, Duration.ofSeconds(12), 8000L, Duration.ofSeconds(45), Duration.ofSeconds(12)),
                info);
    }

    static Stream<Arguments> retryAfter() {
        return Stream.of(
                Arguments.of(Map.of("retry-after", "30"), Duration.ofSeconds(30)),
                Arguments.of(Map.of("retry-after", "0.5"), Duration.ofMillis(500)),
                Arguments.of(Map.of("retry-after", "Sun, 01 Jun 2025 12:02:00 GMT"), Duration.ofMinutes(2)),
                // a date in the past means: now
                Arguments.of(Map.of("retry-after", "Sun, 01 Jun 2025 11:00:00 GMT"), Duration.ZERO),
                // OpenAI's millisecond header wins over the rounded seconds
                Arguments.of(Map.of("retry-after-ms", "1250", "retry-after", "2"), Duration.ofMillis(1250)),
                Arguments.of(Map.of("retry-after", "soon"), null),
                Arguments.of(Map.of("retry-after", "-5"), null));
    }

    @ParameterizedTest
    @MethodSource("retryAfter")
    void retryAfterAsSecondsMillisOrHttpDate(Map<String, String> headers, Duration expected) {
        assertEquals(expected, parse(headers).retryAfter());
    }

    @Test
    void goDurations() {
        assertEquals(Duration.ofMillis(3_723_500), RateLimitHeaders.duration("1h2m3.5s"));
        assertEquals(Duration.ofMillis(20), RateLimitHeaders.duration("20ms"));
        assertEquals(Duration.ofNanos(1500), RateLimitHeaders.duration("1.5us"));
        assertEquals(Duration.ofSeconds(17), RateLimitHeaders.duration("17"));
        assertNull(RateLimitHeaders.duration("1x"));
        assertNull(RateLimitHeaders.duration("s"));
        assertNull(RateLimitHeaders.duration("5s garbage"));
    }

    @Test
    void malformedValuesAreIgnoredNeverThrown() {
        RateLimitInfo info = parse(Map.of("x-ratelimit-remaining-requests", "lots", "x-ratelimit-remaining-tokens", "-1",
                "anthropic-ratelimit-requests-reset", "tomorrow"));
        assertTrue(info.isEmpty());
        assertEquals(RateLimitInfo.NONE, parse(Map.of()));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(429, null, FailureKind.RATE_LIMITED),
                Arguments.of(500, null, FailureKind.SERVER_ERROR),
                Arguments.of(503, "", FailureKind.SERVER_ERROR),
                Arguments.of(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}", FailureKind.SERVER_ERROR),
                Arguments.of(408, null, FailureKind.TIMEOUT),
                Arguments.of(401, null, FailureKind.AUTH),
                Arguments.of(403, null, FailureKind.AUTH),
                Arguments.of(400, "{\"error\":{\"code\":\"context_length_exceeded\",\"message\":\"This model's maximum context"
                        + " length is 128000 tokens\"}}", FailureKind.CONTEXT_WINDOW),
                Arguments.of(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too"
                        + " long: 210000 tokens > 200000 maximum\"}}", FailureKind.CONTEXT_WINDOW),
                Arguments.of(413, "Request too large: too many tokens", FailureKind.CONTEXT_WINDOW),
                Arguments.of(400, "{\"error\":{\"message\":\"temperature must be <= 2\"}}", null),
                Arguments.of(404, "model not found", null),
                Arguments.of(200, null, null));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void classifiesUpstreamErrors(int status, String body, FailureKind expected) {
        assertEquals(java.util.Optional.ofNullable(expected), FailureKind.ofHttpStatus(status, body));
    }
}
