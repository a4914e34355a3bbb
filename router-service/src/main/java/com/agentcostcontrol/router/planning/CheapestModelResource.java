package com.agentcostcontrol.router.planning;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.agentcostcontrol.router.pricing.Capability;
import com.agentcostcontrol.router.pricing.CostEstimator;
import com.agentcostcontrol.router.pricing.Mode;
import com.agentcostcontrol.router.pricing.ModelPrice;
import com.agentcostcontrol.router.pricing.PriceCatalog;
import com.agentcostcontrol.router.routing.RoutingSnapshot;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST /v1/routing/cheapest}: the catalog models that satisfy a set of needs, cheapest
 * worst case first, at the caller's (tenant) prices.
 *
 * <p>Body: {@code {"capabilities": [..], "minContext": N, "estimatedInputTokens"?: N,
 * "maxOutputTokens"?: N, "mode"?: "chat", "limit"?: 10, "routableOnly"?: false, "tenantId"?}}.
 * The worst case is pricing-core's {@link CostEstimator#worstCase} for a call of that size
 * (defaults: {@value #DEFAULT_TOKENS} input and {@value #DEFAULT_TOKENS} output tokens, so that a
 * model's large output limit does not count against it). Deprecated models (deprecation date in
 * the past) are left out. Ties are ordered by model name.
 */
@Path("/v1/routing/cheapest")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CheapestModelResource {

    static final long DEFAULT_TOKENS = 1_000;

    /**
     * @param basis  what the models were compared on
     * @param models the satisfying models, cheapest first, at most {@code limit}
     * @param count  how many models satisfy the needs (before the limit)
     */
    public record Answer(Basis basis, List<Candidate> models, int count) {
    }

    public record Basis(List<String> capabilities, long minContext, long estimatedInputTokens, long maxOutputTokens,
            String mode, boolean routableOnly, String tenantId) {
    }

    /**
     * @param worstCaseUsd the call's worst case at this model (decimal string)
     * @param routable     whether the tenant can call it through the gateway now (a route or a built-in deployment)
     */
    public record Candidate(String model, String provider, String worstCaseUsd, Integer contextWindow,
            Integer maxOutputTokens, List<String> capabilities, boolean routable) {
    }

    private final PlanningService planning;
    private final RequestIdentity identity;

    public CheapestModelResource(PlanningService planning, RequestIdentity identity) {
        this.planning = planning;
        this.identity = identity;
    }

    @POST
    public Answer cheapest(JsonNode body, @QueryParam("tenantId") String queryTenant) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "send a JSON object such as {\"capabilities\":[\"tools\"],\"minContext\":100000}");
        }
        String tenant = CallerTenant.resolve(identity, body.hasNonNull("tenantId") ? body.get("tenantId").asText() : queryTenant);
        Set<Capability> needs = EnumSet.noneOf(Capability.class);
        for (String name : JsonFields.strings(body, "capabilities")) {
            needs.add(Capability.parse(name).orElseThrow(() -> ApiException.badRequest("capabilities",
                    "unknown capability '" + name + "'; use any of "
                            + Arrays.stream(Capability.values()).map(Capability::apiName).toList())));
        }
        long minContext = JsonFields.integer(body, "minContext", 0, 100_000_000, 0L);
        long input = JsonFields.integer(body, "estimatedInputTokens", 0, 100_000_000, DEFAULT_TOKENS);
        long output = JsonFields.integer(body, "maxOutputTokens", 0, Integer.MAX_VALUE, DEFAULT_TOKENS);
        int limit = JsonFields.integer(body, "limit", 1, 100, 10L).intValue();
        boolean routableOnly = JsonFields.bool(body, "routableOnly", false);
        String modeText = JsonFields.text(body, "mode", 20);
        Mode mode = modeText == null ? Mode.CHAT : Mode.parse(modeText).orElseThrow(() -> ApiException.badRequest("mode",
                "mode must be one of " + Arrays.stream(Mode.values()).map(Mode::wireName).toList()));

        PriceCatalog catalog = planning.catalog();
        RoutingSnapshot snapshot = planning.snapshot();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        record Priced(ModelPrice price, BigDecimal worst, boolean routable) {
        }
        List<Priced> found = new ArrayList<>();
        for (ModelPrice m : catalog.models(tenant)) {
            if (m.mode() != mode || !m.capabilities().containsAll(needs)
                    || (minContext > 0 && (m.contextWindow() == null || m.contextWindow() < minContext))
                    || (m.contextWindow() != null && input > m.contextWindow())
                    || (m.deprecationDate() != null && m.deprecationDate().isBefore(today))) {
                continue;
            }
            boolean routable = snapshot.route(tenant, m.model()).isPresent() || !planning.builtins().resolve(m.model()).isEmpty();
            if (routableOnly && !routable) {
                continue;
            }
            found.add(new Priced(m, CostEstimator.worstCase(m, input, (int) output).total(), routable));
        }
        found.sort(Comparator.comparing(Priced::worst).thenComparing(p -> p.price().model()));
        List<Candidate> models = found.stream().limit(limit).map(p -> new Candidate(p.price().model(), p.price().provider(),
                Usd.format(p.worst()), p.price().contextWindow(), p.price().maxOutputTokens(),
                p.price().capabilities().stream().map(Capability::apiName).sorted().toList(), p.routable())).toList();
        return new Answer(new Basis(needs.stream().map(Capability::apiName).sorted().toList(), minContext, input, output,
                mode.wireName(), routableOnly, tenant), models, found.size());
    }
}
