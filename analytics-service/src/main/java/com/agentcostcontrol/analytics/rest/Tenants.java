package com.agentcostcontrol.analytics.rest;

import java.util.UUID;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.RequestIdentity;

/**
 * The tenant an analytics call reads: the caller's own, or for operators and services (who belong to none) the one
 * named by query parameter {@code tenantId}. A tenant member naming another tenant gets 404, exactly as for a
 * tenant that does not exist (docs/IDENTITY.md).
 */
final class Tenants {

    private Tenants() {
    }

    static UUID readable(RequestIdentity identity, String tenantParam) {
        String tenant = tenantParam != null && !tenantParam.isBlank() ? tenantParam : identity.caller().tenantId();
        if (tenant == null) {
            throw ApiException.badRequest("tenantId",
                    "this identity acts for no tenant: name one with query parameter tenantId");
        }
        UUID id;
        try {
            id = UUID.fromString(tenant);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("tenantId", "tenantId must be a tenant id (a UUID)");
        }
        identity.requireRead(id.toString());
        return id;
    }
}
