package com.agentcostcontrol.proxy.llm.pipeline;

import io.vertx.core.Future;

/**
 * Extension points of the hot path where later issues plug in. Each has a pass-through default
 * bean ({@link PassThroughHooks}, {@code @DefaultBean}); an issue that implements one provides its
 * own {@code @ApplicationScoped} bean of the interface, which replaces the default without any
 * change to the pipeline. Implementations run on the event loop and must not block.
 */
public final class Hooks {

    private Hooks() {
    }

    /**
     * Filters {@code admission} and {@code token-admission}: rate limits per key and tenant (limits from
     * {@link com.agentcostcontrol.proxy.AuthenticatedKey}), with Redis scripts. Refuse with a 429
     * {@link com.agentcostcontrol.proxy.llm.Refusal} carrying {@code Retry-After}. Implemented by
     * {@code llm.budget.CallRateLimiter}.
     */
    public interface RateLimiter {
        /** Before the body is read: requests per minute and concurrency. */
        Future<Void> admit(LlmCall call);

        /** After the body is read: the call's worst-case tokens, reserved up front. */
        default Future<Void> reserveTokens(LlmCall call) {
            return Future.succeededFuture();
        }

        /**
         * In {@code settle}, exactly once per call, whatever its outcome: settle the token reservation to the
         * real tokens and end the concurrency leases.
         */
        default void record(LlmCall call) {
        }
    }

    /**
     * Filter {@code pre-call-scan}: scans {@link LlmCall#body} before it leaves (block: 400 naming
     * the detector; redact: rewrite the body in place; flag: record). The security issue implements it.
     */
    public interface PreCallScanner {
        Future<Void> scan(LlmCall call);
    }

    /**
     * Filter {@code post-call-scan}: scans a non-streaming answer ({@link LlmCall#upstreamBody}) before
     * it is relayed. The security issue implements it.
     */
    public interface PostCallScanner {
        Future<Void> scan(LlmCall call);
    }

    /**
     * The relay of a stream ({@code llm.stream.SseRelay}): scans a streamed answer as it is relayed.
     * {@link #start} returns null when the call's answer is not scanned. Implemented by
     * {@code llm.security.StreamAnswerScanner}.
     */
    public interface StreamScanner {
        StreamGuard start(LlmCall call);
    }

    /** One stream's scan: sits between the stream translator and the client. */
    public interface StreamGuard {
        /** The client frames of one upstream event in; the frames that may be sent now out (may be empty). */
        String offer(String frames);

        /** The closing frames in, after a last scan; everything still held back out. */
        String finish(String frames);

        /** The message of the error event that ends a blocked stream; null while not blocked. */
        String blockedMessage();

        /** Exactly once when the stream ends, whatever the outcome: records findings on the call and in metrics. */
        void complete(LlmCall call);
    }

    /**
     * Filters {@code budget-reserve} and {@code settle}: reserve the worst-case cost across every
     * applicable budget before the call (refuse with 429 naming the budget), and replace the
     * reservation with {@link LlmCall#costMicros} after it. The budget issue implements it with budget-core.
     */
    public interface BudgetGuard {
        Future<Void> reserve(LlmCall call);

        /** Called exactly once per call that passed {@link #reserve}, whatever its outcome. */
        default void settle(LlmCall call) {
        }
    }
}
