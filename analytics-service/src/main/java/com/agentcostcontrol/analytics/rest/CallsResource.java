package com.agentcostcontrol.analytics.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.agentcostcontrol.analytics.UsageCall;
import com.agentcostcontrol.analytics.service.CallsService;
import com.agentcostcontrol.platform.identity.RequestIdentity;

/**
 * {@code GET /v1/analytics/calls}: the caller's tenant's calls from the usage ledger, newest first, paginated with
 * {@code cursor}. Tenant callers get their own tenant; operators and services name one with {@code tenantId}.
 */
@Path("/v1/analytics/calls")
@Produces(MediaType.APPLICATION_JSON)
public class CallsResource {

    public record CallsView(List<CallView> data, String nextCursor) {
    }

    /** One call; money as a decimal string with 6 decimals, {@code null} when the served model has no price. */
    public record CallView(String requestId, Instant occurredAt, UUID keyId, String agentId, String endpoint,
            String requestedModel, String servedModel, String provider, String deployment, String status,
            int httpStatus, String errorCode, boolean streamed, int attempts, long inputTokens, long cacheReadTokens,
            long cacheWrite5mTokens, long cacheWrite1hTokens, long outputTokens, long reasoningTokens,
            boolean tokensEstimated, String costUsd, long latencyMs, Long ttftMs) {

        static CallView of(UsageCall c) {
            return new CallView(c.requestId(), c.occurredAt(), c.keyId(), c.agentId(), c.endpoint(),
                    c.requestedModel(), c.servedModel(), c.provider(), c.deployment(), c.status(), c.httpStatus(),
                    c.errorCode(), c.streamed(), c.attempts(), c.inputTokens(), c.cacheReadTokens(),
                    c.cacheWrite5mTokens(), c.cacheWrite1hTokens(), c.outputTokens(), c.reasoningTokens(),
                    c.tokensEstimated(),
                    c.costMicros() == null ? null : BigDecimal.valueOf(c.costMicros(), 6).toPlainString(),
                    c.latencyMs(), c.ttftMs());
        }
    }

    private final CallsService calls;
    private final RequestIdentity identity;

    public CallsResource(CallsService calls, RequestIdentity identity) {
        this.calls = calls;
        this.identity = identity;
    }

    @GET
    public CallsView list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("keyId") String keyId,
            @QueryParam("agentId") String agentId, @QueryParam("model") String model,
            @QueryParam("status") String status, @QueryParam("tenantId") String tenantId) {
        UUID tenant = Tenants.readable(identity, tenantId);
        CallsService.Page page = calls.calls(tenant, limit, cursor, from, to, keyId, agentId, model, status);
        return new CallsView(page.calls().stream().map(CallView::of).toList(), page.nextCursor());
    }
}
