package com.agentcostcontrol.budget.core.ratelimit;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's rate-limit response headers, as pure functions of limit states:
 *
 * <pre>
 * x-ratelimit-limit-requests: 60          x-ratelimit-limit-tokens: 150000
 * x-ratelimit-remaining-requests: 59      x-ratelimit-remaining-tokens: 149984
 * x-ratelimit-reset-requests: 1s          x-ratelimit-reset-tokens: 6m0s
 * </pre>
 *
 * The reset is the time until the limit is back at its full allowance, written as Go prints a duration
 * ({@code 12ms}, {@code 1.5s}, {@code 6m0s}, {@code 23h47m36.648s}) because that is what OpenAI sends and
 * what clients parse. When several limits of a kind apply (key and tenant), the headers describe the
 * tightest one: the fewest remaining, then the longest reset. Concurrency limits have no OpenAI header.
 */
public final class RateLimitHeaders {

    public static final String LIMIT_REQUESTS = "x-ratelimit-limit-requests";
    public static final String REMAINING_REQUESTS = "x-ratelimit-remaining-requests";
    public static final String RESET_REQUESTS = "x-ratelimit-reset-requests";
    public static final String LIMIT_TOKENS = "x-ratelimit-limit-tokens";
    public static final String REMAINING_TOKENS = "x-ratelimit-remaining-tokens";
    public static final String RESET_TOKENS = "x-ratelimit-reset-tokens";
    public static final String RETRY_AFTER = "Retry-After";

    private static final Comparator<RateLimitState> TIGHTEST = Comparator.comparingLong(RateLimitState::remaining)
            .thenComparing(RateLimitState::reset, Comparator.reverseOrder());

    private RateLimitHeaders() {
    }

    /** The six headers (those of the kinds present), in a stable order. */
    public static Map<String, String> of(List<RateLimitState> states) {
        Map<String, String> out = new LinkedHashMap<>();
        tightest(states, RateLimit.Kind.REQUESTS).ifPresent(s -> {
            out.put(LIMIT_REQUESTS, Long.toString(s.limit().limit()));
            out.put(REMAINING_REQUESTS, Long.toString(s.remaining()));
            out.put(RESET_REQUESTS, formatDuration(s.reset()));
        });
        tightest(states, RateLimit.Kind.TOKENS).ifPresent(s -> {
            out.put(LIMIT_TOKENS, Long.toString(s.limit().limit()));
            out.put(REMAINING_TOKENS, Long.toString(s.remaining()));
            out.put(RESET_TOKENS, formatDuration(s.reset()));
        });
        return out;
    }

    /** The tightest limit of a kind, if any applies. */
    public static Optional<RateLimitState> tightest(List<RateLimitState> states, RateLimit.Kind kind) {
        return states.stream().filter(s -> s.limit().kind() == kind).min(TIGHTEST);
    }

    /** {@code Retry-After} in whole seconds: rounded up (retrying early is refused again), at least 1. */
    public static long retryAfterSeconds(Duration wait) {
        long millis = Math.max(0, wait.toMillis());
        return Math.max(1, (millis + 999) / 1000);
    }

    /**
     * A duration at millisecond precision as Go's {@code time.Duration.String()} prints it: {@code 0s},
     * {@code 12ms}, {@code 1s}, {@code 1.5s}, {@code 6m0s}, {@code 1h0m0s}, {@code 23h47m36.648s}.
     */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms <= 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        long hours = ms / 3_600_000;
        long minutes = ms / 60_000 % 60;
        long seconds = ms / 1000 % 60;
        long fraction = ms % 1000;
        StringBuilder out = new StringBuilder();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(seconds);
        if (fraction > 0) {
            String f = String.format("%03d", fraction);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(f, 0, end);
        }
        return out.append('s').toString();
    }
}
