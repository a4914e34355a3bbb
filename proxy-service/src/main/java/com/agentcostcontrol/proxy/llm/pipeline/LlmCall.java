package com.agentcostcontrol.proxy.llm.pipeline;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.agentcostcontrol.proxy.AuthenticatedKey;
import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.Endpoint;
import com.agentcostcontrol.proxy.llm.provider.UpstreamResponse;
import com.agentcostcontrol.proxy.llm.provider.UpstreamTarget;
import com.agentcostcontrol.proxy.llm.provider.mock.MockDirectives;
import com.agentcostcontrol.router.routing.RoutePlan;
import com.agentcostcontrol.router.pricing.TokenUsage;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * The state of one LLM call as it moves through the pipeline. Filters read what earlier filters
 * set and add their own part; everything runs on the request's event loop, so no field needs
 * synchronisation. Never holds prompt text beyond the parsed body, and nothing here is logged whole.
 */
public final class LlmCall {

    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    public final String requestId = newRequestId();
    public final Endpoint endpoint;
    public final RoutingContext exchange;
    public final long startNanos = System.nanoTime();
    public final long startEpochMs = System.currentTimeMillis();

    // --- request side
    public AuthenticatedKey key;
    public String agentId;
    public ObjectNode body;
    public String requestedModel;
    public boolean stream;
    /** OpenAI only: the client asked for the usage chunk ({@code stream_options.include_usage}). */
    public boolean clientWantsUsage;
    public MockDirectives mock = MockDirectives.NONE;

    /** Security scan verdict: strongest action taken (flag, redact, block), null when nothing was found. */
    public String securityAction;
    /** Detectors that hit, with the direction, comma-separated (e.g. {@code prompt:aws-access-key}); never text. */
    public String securityDetectors;

    /** Whether {@code budget-reserve} passed (settle then releases or settles the reservation). */
    public boolean budgetReserved;
    /**
     * The model the client asked for when a budget's downgrade policy switched the call to a cheaper one
     * ({@link #requestedModel} is then the downgrade model); null when the call was not downgraded.
     */
    public String downgradedFrom;
    /** The budget whose downgrade policy switched the call (with {@link #downgradedFrom}). */
    public String downgradeBudgetId;
    /** The budgets the reservation holds (usage event field {@code budget_ids}); null when none was made. */
    public List<String> budgetIds;

    // --- routing and upstream
    /** The route plan ({@code route}); its attempts are tried in order by {@code upstream}. */
    public RoutePlan plan;
    /**
     * What {@code budget-reserve} holds, in micro-USD: the plan's {@code maxWorstCaseUsd()} (the
     * priciest attempt, fallbacks included), 0 when no attempt is priced; -1 before {@code route} ran.
     */
    public long reserveWorstCaseMicros = -1;
    /** Upstream attempts sent (1 when the first deployment tried answered); skipped attempts do not count. */
    public int attempts;
    /** The plan's attempt that answered (or the last one sent). */
    public RoutePlan.Attempt servedAttempt;
    /** What {@link #servedAttempt} called: provider, upstream model, endpoint. */
    public UpstreamTarget served;
    public ApiFormat upstreamFormat;
    /** The committed upstream answer (2xx); for a stream, its body is paused after the first event. */
    public UpstreamResponse upstream;
    /** Non-streaming: the whole upstream body, in {@link #upstreamFormat}. */
    public Buffer upstreamBody;
    /** Streaming: the SSE reader already started on {@link #upstream}'s body. */
    public Object streamState;

    // --- outcome
    public TokenUsage tokens;
    /** True when {@link #tokens} were estimated (no provider count: stream cut short, local count_tokens). */
    public boolean tokensEstimated;
    /** Exact cost in micro-USD, or -1 when unknown (no price for the served model). */
    public long costMicros = -1;
    /** Exact cost as a decimal string (e.g. {@code "0.000123"}), or null when unknown. */
    public String costUsd;
    public long firstTokenNanos = -1;
    /** ok | refused | error | upstream_error | client_disconnected | stream_error. */
    public String status = "ok";
    public int httpStatus;
    public String errorCode;
    /** Set once the response status line went out: from then on only the stream can report errors. */
    public boolean responseStarted;
    /**
     * Set once a stream is committed: the relay calls it when the upstream breaks the stream after
     * bytes reached the client (too late to fall back; recorded as the serving deployment's failure).
     */
    public java.util.function.Consumer<Throwable> onStreamBroken;
    /** Aborts the upstream exchange (set while one is open). */
    public Runnable cancelUpstream;

    public LlmCall(Endpoint endpoint, RoutingContext exchange) {
        this.endpoint = endpoint;
        this.exchange = exchange;
    }

    public ApiFormat inboundFormat() {
        return endpoint.format();
    }

    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Milliseconds from arrival to the first token relayed, or -1. */
    public long ttftMs() {
        return firstTokenNanos < 0 ? -1 : (firstTokenNanos - startNanos) / 1_000_000;
    }

    public int fallbacks() {
        return Math.max(0, attempts - 1);
    }

    /** A request id for answers outside the pipeline (model listing). */
    public static String newRequestIdForEndpoint() {
        return newRequestId();
    }

    /** {@code req_} + 24 base-36 characters: unique enough for tracing, cheaper than SecureRandom UUIDs. */
    static String newRequestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[28];
        out[0] = 'r';
        out[1] = 'e';
        out[2] = 'q';
        out[3] = '_';
        for (int i = 4; i < out.length; i++) {
            out[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
