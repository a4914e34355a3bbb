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

import com.agentcostcontrol.analytics.SpendRow;
import com.agentcostcontrol.analytics.service.SpendService;
import com.agentcostcontrol.platform.identity.RequestIdentity;

/**
 * {@code GET /v1/analytics/spend}: the caller's tenant's spend, grouped. A tenant caller always gets its own
 * tenant; operators and services name one with query parameter {@code tenantId}.
 */
@Path("/v1/analytics/spend")
@Produces(MediaType.APPLICATION_JSON)
public class SpendResource {

    /** The answer; {@code from}/{@code to} say which range was summed (defaults resolved). */
    public record SpendView(String groupBy, Instant from, Instant to, List<Row> rows) {
    }

    /** One group; money as a decimal string with 6 decimals. */
    public record Row(String group, long requests, long inputTokens, long outputTokens, String costUsd) {
        static Row of(SpendRow r) {
            return new Row(r.group(), r.requests(), r.inputTokens(), r.outputTokens(),
                    BigDecimal.valueOf(r.costMicros(), 6).toPlainString());
        }
    }

    private final SpendService spend;
    private final RequestIdentity identity;

    public SpendResource(SpendService spend, RequestIdentity identity) {
        this.spend = spend;
        this.identity = identity;
    }

    @GET
    public SpendView spend(@QueryParam("groupBy") String groupBy, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("tenantId") String tenantId) {
        UUID tenant = Tenants.readable(identity, tenantId);
        SpendService.Spend s = spend.spend(tenant, groupBy, from, to);
        return new SpendView(s.groupBy().wireName(), s.from(), s.to(), s.rows().stream().map(Row::of).toList());
    }
}
