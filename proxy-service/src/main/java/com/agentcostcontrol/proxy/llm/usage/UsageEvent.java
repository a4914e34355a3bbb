package com.agentcostcontrol.proxy.llm.usage;

import java.util.LinkedHashMap;
import java.util.Map;

import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.router.pricing.TokenUsage;

/**
 * The usage event of one finished call, as the flat string fields of a Redis Stream entry. The
 * schema is documented in {@code docs/USAGE-EVENTS.md}; {@code v} versions it.
 */
public final class UsageEvent {

    public static final String VERSION = "1";

    private UsageEvent() {
    }

    public static Map<String, String> of(LlmCall call) {
        Map<String, String> f = new LinkedHashMap<>(40);
        f.put("v", VERSION);
        f.put("request_id", call.requestId);
        f.put("ts", Long.toString(call.startEpochMs));
        f.put("tenant_id", call.key == null ? "" : call.key.tenantId().toString());
        f.put("key_id", call.key == null ? "" : call.key.keyId().toString());
        f.put("agent_id", call.agentId == null ? "" : call.agentId);
        f.put("endpoint", call.endpoint.eventName());
        // A downgraded call still reports the model the client asked for; the switch is in downgraded_to.
        String asked = call.downgradedFrom != null ? call.downgradedFrom : call.requestedModel;
        f.put("requested_model", asked == null ? "" : asked);
        f.put("served_model", call.served == null ? "" : call.served.model());
        f.put("provider", call.servedAttempt == null ? "" : call.servedAttempt.provider());
        f.put("deployment", call.served == null ? "" : call.served.name());
        f.put("deployment_id", call.servedAttempt == null ? "" : call.servedAttempt.deploymentId());
        f.put("route_model", call.plan == null ? "" : call.plan.model());
        f.put("planned_attempts", call.plan == null ? "0" : Integer.toString(call.plan.attempts().size()));
        f.put("status", call.status);
        f.put("http_status", Integer.toString(call.httpStatus));
        f.put("error_code", call.errorCode == null ? "" : call.errorCode);
        f.put("streamed", Boolean.toString(call.stream));
        f.put("attempts", Integer.toString(call.attempts));
        f.put("fallbacks", Integer.toString(call.fallbacks()));
        TokenUsage t = call.tokens == null ? TokenUsage.NONE : call.tokens;
        f.put("input_tokens", Long.toString(t.inputTokens()));
        f.put("cache_read_tokens", Long.toString(t.cacheReadTokens()));
        f.put("cache_write_5m_tokens", Long.toString(t.cacheWrite5mTokens()));
        f.put("cache_write_1h_tokens", Long.toString(t.cacheWrite1hTokens()));
        f.put("output_tokens", Long.toString(t.outputTokens()));
        f.put("reasoning_tokens", Long.toString(t.reasoningTokens()));
        f.put("total_input_tokens", Long.toString(t.totalInputTokens()));
        f.put("tokens_estimated", Boolean.toString(call.tokensEstimated));
        f.put("cost_usd", call.costUsd == null ? "" : call.costUsd);
        f.put("cost_micros", call.costMicros < 0 ? "" : Long.toString(call.costMicros));
        f.put("latency_ms", Long.toString(call.elapsedMs()));
        f.put("ttft_ms", Long.toString(call.ttftMs()));
        f.put("downgraded_to", call.downgradedFrom == null ? "" : call.requestedModel);
        f.put("downgrade_budget_id", call.downgradeBudgetId == null ? "" : call.downgradeBudgetId);
        // Additive: the budgets the reservation charged, comma-separated; empty = no reservation made.
        f.put("budget_ids", call.budgetIds == null ? "" : String.join(",", call.budgetIds));
        f.put("security_action", call.securityAction == null ? "" : call.securityAction);
        f.put("security_detectors", call.securityDetectors == null ? "" : call.securityDetectors);
        return f;
    }
}
