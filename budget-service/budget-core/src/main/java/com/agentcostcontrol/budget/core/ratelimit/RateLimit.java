package com.agentcostcontrol.budget.core.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One rate limit: at most {@code limit} requests or tokens per {@code window} (a token bucket that
 * holds {@code limit} and refills it evenly over the window), or at most {@code limit} calls in flight.
 *
 * @param scope  whose traffic it counts
 * @param kind   what it counts
 * @param limit  requests or tokens per window, or calls in flight; at least 1
 * @param window the refill window (1 s to 1 h) for requests and tokens; ignored (zero) for concurrency
 */
public record RateLimit(RateLimitScope scope, Kind kind, long limit, Duration window) {

    /** What a limit counts. */
    public enum Kind {
        REQUESTS("r", "requests"),
        TOKENS("t", "tokens"),
        CONCURRENCY("c", "concurrent requests");

        private final String code;
        private final String noun;

        Kind(String code, String noun) {
            this.code = code;
            this.noun = noun;
        }

        /** One-letter code used in Redis keys and script arguments. */
        String code() {
            return code;
        }

        public String noun() {
            return noun;
        }
    }

    /** Largest {@code limit x window-in-ms}: keeps every sum the scripts compute an exact integer below 2^53. */
    public static final long MAX_UNITS = 1L << 50;
    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_WINDOW = Duration.ofHours(1);

    public RateLimit {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(kind, "kind");
        if (limit < 1) {
            throw new IllegalArgumentException("a rate limit must be at least 1, got " + limit);
        }
        if (kind == Kind.CONCURRENCY) {
            window = Duration.ZERO;
        } else {
            Objects.requireNonNull(window, "window");
            if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
                throw new IllegalArgumentException("a rate-limit window must be between 1 s and 1 h, got " + window);
            }
            if (window.toNanos() % 1_000_000 != 0) {
                throw new IllegalArgumentException("a rate-limit window must be whole milliseconds, got " + window);
            }
            if (limit > MAX_UNITS / window.toMillis()) {
                throw new IllegalArgumentException("rate limit " + limit + " per " + window + " is too large (at most "
                        + MAX_UNITS / window.toMillis() + ")");
            }
        }
    }

    public static RateLimit requestsPerMinute(RateLimitScope scope, long limit) {
        return new RateLimit(scope, Kind.REQUESTS, limit, Duration.ofMinutes(1));
    }

    public static RateLimit tokensPerMinute(RateLimitScope scope, long limit) {
        return new RateLimit(scope, Kind.TOKENS, limit, Duration.ofMinutes(1));
    }

    public static RateLimit concurrency(RateLimitScope scope, long limit) {
        return new RateLimit(scope, Kind.CONCURRENCY, limit, Duration.ZERO);
    }

    /** For messages: {@code "requests per minute"}, {@code "tokens per 10s"}, {@code "concurrent requests"}. */
    public String describe() {
        if (kind == Kind.CONCURRENCY) {
            return kind.noun();
        }
        String per = switch ((int) Math.min(Integer.MAX_VALUE, window.toMillis())) {
            case 1_000 -> "second";
            case 60_000 -> "minute";
            case 3_600_000 -> "hour";
            default -> RateLimitHeaders.formatDuration(window);
        };
        return kind.noun() + " per " + per;
    }
}
