package com.agentcostcontrol.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A usage event with exactly the proxy's fields ({@code proxy-service/…/llm/usage/UsageEvent.of}), in its order
 * and with its conventions: empty string for absent values, {@code cost_usd} with 6 decimals, {@code ttft_ms -1}.
 */
public final class UsageEventBuilder {

    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private String requestId = "req_" + Long.toString(SEQ.incrementAndGet(), 36) + "t" + Long.toString(
            System.nanoTime() & 0xffffffL, 36);
    private long ts = System.currentTimeMillis();
    private UUID tenant;
    private UUID key;
    private String agent = "";
    private String requestedModel = "gpt-4o-mini";
    private String servedModel = "gpt-4o-mini";
    private String provider = "openai";
    private String deployment = "oa-east";
    private String deploymentId = UUID.randomUUID().toString();
    private String status = "ok";
    private int httpStatus = 200;
    private String errorCode = "";
    private long input = 86;
    private long cacheRead = 1920;
    private long cacheWrite5m;
    private long cacheWrite1h;
    private long output = 300;
    private long reasoning;
    private Long costMicros = 337L;

    public static UsageEventBuilder call(UUID tenant) {
        UsageEventBuilder b = new UsageEventBuilder();
        b.tenant = tenant;
        b.key = UUID.randomUUID();
        return b;
    }

    public UsageEventBuilder requestId(String id) {
        this.requestId = id;
        return this;
    }

    public UsageEventBuilder at(Instant at) {
        this.ts = at.toEpochMilli();
        return this;
    }

    public UsageEventBuilder key(UUID key) {
        this.key = key;
        return this;
    }

    public UsageEventBuilder agent(String agent) {
        this.agent = agent == null ? "" : agent;
        return this;
    }

    /** Served by a deployment of this provider. */
    public UsageEventBuilder served(String model, String provider) {
        this.requestedModel = model;
        this.servedModel = model;
        this.provider = provider;
        this.deployment = provider + "-dep";
        // The proxy names a built-in deployment by its routing id (not a UUID); routed ones by their row's UUID.
        this.deploymentId = "builtin:" + provider + ":" + model;
        return this;
    }

    /** Refused before any deployment served it (e.g. 403 model not allowed): no tokens, no cost. */
    public UsageEventBuilder refused(String requestedModel, int httpStatus, String errorCode) {
        this.requestedModel = requestedModel;
        this.servedModel = "";
        this.provider = "";
        this.deployment = "";
        this.deploymentId = "";
        this.status = "refused";
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        return tokens(0, 0, 0, 0, 0).cost(null);
    }

    public UsageEventBuilder tokens(long input, long cacheRead, long cacheWrite5m, long cacheWrite1h, long output) {
        this.input = input;
        this.cacheRead = cacheRead;
        this.cacheWrite5m = cacheWrite5m;
        this.cacheWrite1h = cacheWrite1h;
        this.output = output;
        return this;
    }

    /** Cost in micro-USD; {@code null}: the served model has no price. */
    public UsageEventBuilder cost(Long micros) {
        this.costMicros = micros;
        return this;
    }

    public String requestId() {
        return requestId;
    }

    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("v", "1");
        f.put("request_id", requestId);
        f.put("ts", Long.toString(ts));
        f.put("tenant_id", tenant == null ? "" : tenant.toString());
        f.put("key_id", key == null ? "" : key.toString());
        f.put("agent_id", agent);
        f.put("endpoint", "chat");
        f.put("requested_model", requestedModel);
        f.put("served_model", servedModel);
        f.put("provider", provider);
        f.put("deployment", deployment);
        f.put("deployment_id", deploymentId);
        f.put("route_model", requestedModel);
        f.put("planned_attempts", "refused".equals(status) ? "0" : "1");
        f.put("status", status);
        f.put("http_status", Integer.toString(httpStatus));
        f.put("error_code", errorCode);
        f.put("streamed", "false");
        f.put("attempts", "refused".equals(status) ? "0" : "1");
        f.put("fallbacks", "0");
        f.put("input_tokens", Long.toString(input));
        f.put("cache_read_tokens", Long.toString(cacheRead));
        f.put("cache_write_5m_tokens", Long.toString(cacheWrite5m));
        f.put("cache_write_1h_tokens", Long.toString(cacheWrite1h));
        f.put("output_tokens", Long.toString(output));
        f.put("reasoning_tokens", Long.toString(reasoning));
        f.put("total_input_tokens", Long.toString(input + cacheRead + cacheWrite5m + cacheWrite1h));
        f.put("tokens_estimated", "false");
        f.put("cost_usd", costMicros == null ? "" : BigDecimal.valueOf(costMicros, 6).toPlainString());
        f.put("cost_micros", costMicros == null ? "" : Long.toString(costMicros));
        f.put("latency_ms", "412");
        f.put("ttft_ms", "refused".equals(status) ? "-1" : "412");
        f.put("downgraded_to", "");
        f.put("downgrade_budget_id", "");
        f.put("budget_ids", "");
        f.put("security_action", "");
        f.put("security_detectors", "");
        return f;
    }
}
