package com.agentcostcontrol.proxy.llm.provider.mock;

import java.time.Duration;

/**
 * How a test or benchmark steers the built-in mock provider, from header {@code x-acc-mock} or
 * request field {@code metadata.acc_mock}, e.g. {@code delay=200ms,fail=503,cut-after=3}:
 * <ul>
 *   <li>{@code delay=<duration>}: wait before answering (status and headers);</li>
 *   <li>{@code chunk-delay=<duration>}: wait between two stream events;</li>
 *   <li>{@code fail=<status>}: answer that HTTP status with the format's error envelope
 *       (429 adds {@code retry-after: 1});</li>
 *   <li>{@code cut-after=<n>}: break the stream (as a connection reset) after n events;</li>
 *   <li>{@code cached=<n>}: report n prompt tokens as read from the prompt cache;</li>
 *   <li>{@code words=<n>}: answer with exactly n words (one token each).</li>
 * </ul>
 * Durations take {@code ms} or {@code s}; a bare number is milliseconds. Unknown keys are ignored.
 */
public record MockDirectives(long delayMs, long chunkDelayMs, int failStatus, int cutAfter, long cachedTokens, int words) {

    public static final MockDirectives NONE = new MockDirectives(0, 0, 0, -1, 0, -1);

    public static MockDirectives parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        long delay = 0;
        long chunkDelay = 0;
        int fail = 0;
        int cut = -1;
        long cached = 0;
        int words = -1;
        for (String part : spec.split("[,;]")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = part.substring(0, eq).trim().toLowerCase();
            String v = part.substring(eq + 1).trim();
            try {
                switch (k) {
                    case "delay" -> delay = millis(v);
                    case "chunk-delay" -> chunkDelay = millis(v);
                    case "fail" -> fail = Integer.parseInt(v);
                    case "cut-after" -> cut = Integer.parseInt(v);
                    case "cached" -> cached = Long.parseLong(v);
                    case "words" -> words = Integer.parseInt(v);
                    default -> {
                        // Unknown directives are ignored so old clients keep working.
                    }
                }
            } catch (RuntimeException e) {
                // A malformed value is ignored like an unknown key.
            }
        }
        return new MockDirectives(delay, chunkDelay, fail, cut, cached, words);
    }

    static long millis(String v) {
        String s = v.toLowerCase();
        if (s.endsWith("ms")) {
            return Long.parseLong(s.substring(0, s.length() - 2).trim());
        }
        if (s.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 1000)).toMillis();
        }
        return Long.parseLong(s);
    }
}
