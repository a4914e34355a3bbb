package com.agentcostcontrol.router.routing.health;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses providers' rate-limit response headers into {@link RateLimitInfo}. Pure: no I/O; a
 * malformed value is ignored (it must never fail a call).
 *
 * <table>
 * <caption>Headers read</caption>
 * <tr><th>provider</th><th>headers</th><th>value format</th></tr>
 * <tr><td>OpenAI (and compatibles: Groq, OpenRouter, Azure, ...)</td>
 *     <td>{@code x-ratelimit-remaining-requests}, {@code x-ratelimit-remaining-tokens},
 *         {@code x-ratelimit-reset-requests}, {@code x-ratelimit-reset-tokens}</td>
 *     <td>integers; resets as Go durations ({@code 1s}, {@code 6m0s}, {@code 20ms},
 *         {@code 1h2m3.5s}) or plain seconds</td></tr>
 * <tr><td>Anthropic</td>
 *     <td>{@code anthropic-ratelimit-requests-remaining} / {@code -reset},
 *         {@code anthropic-ratelimit-tokens-remaining} / {@code -reset},
 *         {@code anthropic-ratelimit-input-tokens-*}, {@code anthropic-ratelimit-output-tokens-*}</td>
 *     <td>integers; resets as RFC 3339 times</td></tr>
 * <tr><td>any</td><td>{@code retry-after-ms}, {@code retry-after}</td>
 *     <td>milliseconds; seconds (decimal allowed) or an HTTP date</td></tr>
 * </table>
 * Of several token limits (Anthropic's total, input and output), the one with the fewest tokens
 * left is reported, with its reset. Resets and Retry-After are durations from {@code now} (the
 * time the response arrived), never negative.
 */
public final class RateLimitHeaders {

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|us|µs|ns|m|s)");
    private static final String[] ANTHROPIC_TOKEN_LIMITS = { "tokens", "input-tokens", "output-tokens" };

    private RateLimitHeaders() {
    }

    /**
     * @param headers response headers; names are matched case-insensitively, the first value of each is used
     * @param now     when the response arrived
     */
    public static RateLimitInfo parse(Map<String, ? extends Collection<String>> headers, Instant now) {
        Map<String, String> first = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (name != null && values != null && !values.isEmpty()) {
                first.putIfAbsent(name, values.iterator().next());
            }
        });
        return parse(first::get, now);
    }

    /**
     * @param header looks a header up by its lower-case name ({@code null} when absent); a
     *               case-insensitive lookup such as Vert.x's {@code MultiMap::get} fits
     * @param now    when the response arrived
     */
    public static RateLimitInfo parse(Function<String, String> header, Instant now) {
        Long requests = count(header.apply("x-ratelimit-remaining-requests"));
        Duration requestsReset = null;
        if (requests != null) {
            requestsReset = duration(header.apply("x-ratelimit-reset-requests"));
        } else {
            requests = count(header.apply("anthropic-ratelimit-requests-remaining"));
            if (requests != null) {
                requestsReset = until(header.apply("anthropic-ratelimit-requests-reset"), now);
            }
        }

        Long tokens = count(header.apply("x-ratelimit-remaining-tokens"));
        Duration tokensReset = null;
        if (tokens != null) {
            tokensReset = duration(header.apply("x-ratelimit-reset-tokens"));
        } else {
            for (String limit : ANTHROPIC_TOKEN_LIMITS) {
                Long left = count(header.apply("anthropic-ratelimit-" + limit + "-remaining"));
                if (left != null && (tokens == null || left < tokens)) {
                    tokens = left;
                    tokensReset = until(header.apply("anthropic-ratelimit-" + limit + "-reset"), now);
                }
            }
        }

        Duration retryAfter = millis(header.apply("retry-after-ms"));
        if (retryAfter == null) {
            retryAfter = retryAfter(header.apply("retry-after"), now);
        }
        return new RateLimitInfo(requests, requestsReset, tokens, tokensReset, retryAfter);
    }

    /** {@code Retry-After}: delay-seconds (decimals tolerated) or an HTTP date; {@code null} when unreadable. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        Duration seconds = seconds(v);
        if (seconds != null) {
            return seconds;
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return nonNegative(Duration.between(now, at));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A Go-style duration ({@code 1h2m3.5s}, {@code 20ms}) or plain seconds; {@code null} when unreadable. */
    static Duration duration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        Duration plain = seconds(v);
        if (plain != null) {
            return plain;
        }
        Matcher m = GO_DURATION.matcher(v);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (m.find()) {
            if (m.start() != at) {
                return null;
            }
            BigDecimal amount = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                case "us", "µs" -> 1_000L;
                default -> 1L;
            };
            nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (at == 0 || at != v.length() || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return null;
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** An RFC 3339 time as a delay from {@code now}; {@code null} when unreadable. */
    static Duration until(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return nonNegative(Duration.between(now, OffsetDateTime.parse(value.trim()).toInstant()));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration seconds(String v) {
        return v.matches("\\d{1,9}(\\.\\d+)?") ? Duration.ofNanos(new BigDecimal(v).movePointRight(9).longValue()) : null;
    }

    private static Duration millis(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        return v.matches("\\d{1,12}(\\.\\d+)?") ? Duration.ofNanos(new BigDecimal(v).movePointRight(6).longValue()) : null;
    }

    private static Long count(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (!v.matches("\\d{1,18}")) {
            return null;
        }
        return Long.parseLong(v);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
