package com.agentcostcontrol.proxy.llm.pipeline.filters;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.Endpoint;
import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.pipeline.Responses;
import com.agentcostcontrol.proxy.llm.pipeline.UpstreamFailure;
import com.agentcostcontrol.proxy.llm.stream.SseRelay;
import com.agentcostcontrol.proxy.llm.translate.FormatBridge;
import com.agentcostcontrol.proxy.llm.usage.CostMeter;
import com.agentcostcontrol.router.pricing.TokenUsage;
import com.agentcostcontrol.proxy.llm.usage.UsageExtractor;
import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.Future;

/**
 * Filter 11, {@code relay}: answers the client. A non-streaming answer is translated to the
 * client's format if needed, its usage read and priced, and sent whole with {@code x-acc-cost-usd};
 * a stream goes through {@link SseRelay} event by event. Fail-closed (502 when the upstream body is
 * not JSON and nothing was sent yet).
 */
@ApplicationScoped
public class RelayFilter implements CallFilter {

    private final Responses responses;
    private final SseRelay sseRelay;
    private final FormatBridge bridge;
    private final CostMeter costs;

    public RelayFilter(Responses responses, SseRelay sseRelay, FormatBridge bridge, CostMeter costs) {
        this.responses = responses;
        this.sseRelay = sseRelay;
        this.bridge = bridge;
        this.costs = costs;
    }

    @Override
    public String name() {
        return "relay";
    }

    @Override
    public boolean needsBody() {
        return true;
    }

    @Override
    public FailurePolicy onFailure() {
        return FailurePolicy.FAIL_CLOSED;
    }

    @Override
    public Future<Void> apply(LlmCall call) {
        if (call.stream) {
            return sseRelay.relay(call);
        }
        JsonNode upstream;
        try {
            upstream = Json.parse(call.upstreamBody);
        } catch (IOException e) {
            return Future.failedFuture(new UpstreamFailure(502, "upstream_invalid_body", "Deployment '"
                    + call.served.name() + "' answered with a body that is not JSON.", null, java.util.Map.of()));
        }
        if (call.endpoint == Endpoint.COUNT_TOKENS) {
            call.tokens = TokenUsage.NONE;
        } else if (call.tokens == null) {
            call.tokens = UsageExtractor.read(call.upstreamFormat, upstream.get("usage"));
        }
        JsonNode answer = bridge.response(call, upstream);
        costs.price(call);
        call.firstTokenNanos = System.nanoTime();
        responses.json(call, call.upstream == null ? 200 : call.upstream.status(),
                answer == upstream ? call.upstreamBody : Json.buffer(answer));
        return Future.succeededFuture();
    }
}
