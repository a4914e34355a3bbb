package com.agentcostcontrol.proxy.llm.pipeline;

import io.vertx.core.Future;

/**
 * One named step of the LLM hot path (DESIGN §3). Filters run in the order of {@link Pipeline},
 * on the request's event loop, and must not block: anything slow returns a Future.
 *
 * <p>A filter stops the call by failing its Future with a
 * {@link com.agentcostcontrol.proxy.llm.Refusal} (rendered in the endpoint's error envelope).
 * Any other failure is a fault of the filter itself, handled by its {@link #onFailure()} policy.
 */
public interface CallFilter {

    /** Stable name, used in logs, metrics and docs. */
    String name();

    /** Whether this filter needs the request body read and parsed before it runs. */
    boolean needsBody();

    /** What a fault of this filter (not a refusal) does to the call. */
    FailurePolicy onFailure();

    /** Runs the filter; the Future completes when the next filter may run. */
    Future<Void> apply(LlmCall call);

    /** Fail-open lets the call continue past a faulty filter (logged); fail-closed ends it with 503. */
    enum FailurePolicy {
        FAIL_OPEN,
        FAIL_CLOSED
    }
}
