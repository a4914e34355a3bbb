package com.agentcostcontrol.router;

import java.util.UUID;

/**
 * A deployment or route was created, changed or deleted. Published (after commit) on the Redis
 * channel {@value #CHANNEL} so every proxy refreshes its routing snapshot.
 *
 * @param tenantId the owning tenant, null for operator-level rows
 * @param kind     {@code deployment} or {@code route}
 * @param id       the row's id
 * @param action   {@code created}, {@code updated} or {@code deleted}
 */
public record RoutingChanged(UUID tenantId, String kind, UUID id, String action) {

    public static final String CHANNEL = "acc:routing:changed";
    public static final String DEPLOYMENT = "deployment";
    public static final String ROUTE = "route";
}
