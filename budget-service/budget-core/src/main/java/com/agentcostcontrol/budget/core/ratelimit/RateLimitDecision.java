package com.agentcostcontrol.budget.core.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** The answer to {@link RateLimiter#acquire}: every applicable limit taken, or none. */
public sealed interface RateLimitDecision {

    /** Every limit's state: after this call when admitted, at the refusal otherwise. */
    List<RateLimitState> states();

    /** OpenAI's {@code x-ratelimit-*} headers for these states (see {@link RateLimitHeaders#of}). */
    default Map<String, String> headers() {
        return RateLimitHeaders.of(states());
    }

    /**
     * The call may go ahead.
     *
     * @param permit    settle it when the call ends
     * @param duplicate a retried acquire of a request id that already holds its limits (taken once only)
     */
    record Admitted(RateLimitPermit permit, List<RateLimitState> states, boolean duplicate) implements RateLimitDecision {
        public Admitted {
            states = List.copyOf(states);
        }
    }

    /**
     * Nothing was taken.
     *
     * @param refusing   the limit that refused (the one with the longest wait when several did)
     * @param reason     {@link Reason#LIMITED}: retry after {@code retryAfter}; {@link Reason#TOO_LARGE}: the
     *                   request asks for more tokens than the limit allows per window and can never pass
     * @param retryAfter how long until the call would be admitted (the Redis clock's view); {@code null} for
     *                   {@link Reason#TOO_LARGE}. For a concurrency refusal it is the configured hint, as
     *                   nobody knows when a call in flight will end.
     * @param requested  what the call asked of the refusing limit (1 request, the estimated tokens, 1 slot)
     */
    record Refused(RateLimitState refusing, Reason reason, Duration retryAfter, long requested,
            List<RateLimitState> states) implements RateLimitDecision {

        public Refused {
            states = List.copyOf(states);
        }

        /** {@code Retry-After} in whole seconds (rounded up, at least 1); empty when waiting cannot help. */
        public OptionalLong retryAfterSeconds() {
            return retryAfter == null ? OptionalLong.empty() : OptionalLong.of(RateLimitHeaders.retryAfterSeconds(retryAfter));
        }

        /** A message for the 429 that names the limit, e.g. for the OpenAI error envelope. */
        public String message() {
            RateLimit l = refusing.limit();
            String who = l.scope().describe();
            if (reason == Reason.TOO_LARGE) {
                return "Request too large for " + who + " on " + l.describe() + ": limit " + l.limit() + ", requested "
                        + requested + ". Reduce the prompt or max_tokens.";
            }
            String again = " Please try again in " + RateLimitHeaders.formatDuration(retryAfter) + ".";
            if (l.kind() == RateLimit.Kind.CONCURRENCY) {
                return "Concurrency limit reached for " + who + ": at most " + l.limit() + " requests in flight." + again;
            }
            return "Rate limit reached for " + who + " on " + l.describe() + ": limit " + l.limit() + ", remaining "
                    + refusing.remaining() + ", requested " + requested + "." + again;
        }
    }

    enum Reason {
        LIMITED,
        TOO_LARGE
    }
}
