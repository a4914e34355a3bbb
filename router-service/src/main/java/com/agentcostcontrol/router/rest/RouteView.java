package com.agentcostcontrol.router.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.agentcostcontrol.router.Route;

/**
 * A route as the API returns it.
 *
 * @param scope {@code operator} for operator-level routes, {@code tenant} for a tenant's own
 */
public record RouteView(UUID id, UUID tenantId, String scope, String model, List<String> deployments, String strategy,
        List<String> fallbacks, Instant createdAt, Instant updatedAt) {

    public static RouteView of(Route r) {
        return new RouteView(r.id, r.tenantId, r.tenantId == null ? "operator" : "tenant", r.model,
                List.copyOf(r.deployments), r.strategy, List.copyOf(r.fallbacks), r.createdAt, r.updatedAt);
    }
}
