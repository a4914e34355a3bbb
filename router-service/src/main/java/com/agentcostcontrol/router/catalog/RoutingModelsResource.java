package com.agentcostcontrol.router.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.agentcostcontrol.router.pricing.Capability;
import com.agentcostcontrol.router.pricing.Mode;
import com.agentcostcontrol.router.pricing.ModelPrice;
import com.agentcostcontrol.router.pricing.PriceCatalog;

/**
 * The model catalog with prices, for any authenticated caller. A tenant's caller sees its
 * negotiated prices (tenant overrides merged in); operators and services see list prices, or a
 * tenant's with {@code tenantId}.
 */
@Path("/v1/routing/models")
@Produces(MediaType.APPLICATION_JSON)
public class RoutingModelsResource {

    /** The list answer. {@code catalog} describes the snapshot the answer comes from. */
    public record ModelList(List<ModelView> models, int count, CatalogInfo catalog) {
    }

    public record CatalogInfo(int models, String loadedAt) {
    }

    private final CatalogService catalogService;
    private final RequestIdentity identity;

    public RoutingModelsResource(CatalogService catalogService, RequestIdentity identity) {
        this.catalogService = catalogService;
        this.identity = identity;
    }

    /**
     * @param providers    provider families to keep (repeatable or comma-separated), e.g. {@code openai,anthropic}
     * @param mode         chat, embedding, completion or responses
     * @param capabilities capabilities every listed model must have (repeatable or comma-separated):
     *                     tools, vision, json, reasoning, caching, pdf, web-search, ...
     * @param minContext   minimum context window in tokens
     * @param tenantId     whose negotiated prices to show; defaults to the caller's tenant
     */
    @GET
    public ModelList list(@QueryParam("provider") List<String> providers, @QueryParam("mode") String mode,
            @QueryParam("capability") List<String> capabilities, @QueryParam("minContext") String minContext,
            @QueryParam("tenantId") String tenantId) {
        Set<String> wantedProviders = split(providers).map(p -> p.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Mode wantedMode = mode == null || mode.isBlank() ? null : Mode.parse(mode).orElseThrow(() -> ApiException.badRequest(
                "mode", "unknown mode '" + mode + "'; use one of " + Arrays.stream(Mode.values()).map(Mode::wireName).toList()));
        EnumSet<Capability> wantedCapabilities = EnumSet.noneOf(Capability.class);
        split(capabilities).forEach(c -> wantedCapabilities.add(Capability.parse(c).orElseThrow(() -> ApiException.badRequest(
                "capability", "unknown capability '" + c + "'; use one of "
                        + Arrays.stream(Capability.values()).map(Capability::apiName).toList()))));
        long wantedContext = parseMinContext(minContext);

        PriceCatalog catalog = snapshot();
        List<ModelView> out = new ArrayList<>();
        for (ModelPrice m : catalog.models(pricesOf(tenantId))) {
            if ((wantedProviders.isEmpty() || wantedProviders.contains(m.provider()))
                    && (wantedMode == null || m.mode() == wantedMode)
                    && m.capabilities().containsAll(wantedCapabilities)
                    && (wantedContext == 0 || (m.contextWindow() != null && m.contextWindow() >= wantedContext))) {
                out.add(ModelView.of(m));
            }
        }
        return new ModelList(out, out.size(), new CatalogInfo(catalog.size(),
                catalogService.loadedAt().map(Instant::toString).orElse(null)));
    }

    /**
     * One model, by any name the catalog resolves (e.g. {@code openai/gpt-4o}, {@code claude-sonnet-4});
     * the answer carries the catalog name.
     */
    @GET
    @Path("{model: .+}")
    public ModelView get(@PathParam("model") String model, @QueryParam("tenantId") String tenantId) {
        return snapshot().lookup(pricesOf(tenantId), model).map(ModelView::of).orElseThrow(() -> ApiException.notFound(
                "no model '" + model + "' in the price catalog; list the known models with GET /v1/routing/models"));
    }

    private PriceCatalog snapshot() {
        if (!catalogService.ready()) {
            throw new ApiException(503, "unavailable", "the price catalog is not loaded yet; retry in a few seconds", null);
        }
        return catalogService.catalog();
    }

    /** Whose prices to show: the requested tenant's (if the caller may read it), else the caller's own. */
    private String pricesOf(String tenantId) {
        CallerIdentity caller = identity.caller();
        if (tenantId == null || tenantId.isBlank()) {
            return caller.tenantId();
        }
        try {
            UUID.fromString(tenantId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("tenantId", "tenantId must be a tenant id (UUID), got '" + tenantId + "'");
        }
        identity.requireRead(tenantId);
        return tenantId;
    }

    private static long parseMinContext(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long v = Long.parseLong(value.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("minContext", "minContext must be a whole number of tokens >= 0, got '" + value + "'");
        }
    }

    private static Stream<String> split(List<String> values) {
        return values == null ? Stream.empty()
                : values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::trim).filter(s -> !s.isEmpty());
    }
}
