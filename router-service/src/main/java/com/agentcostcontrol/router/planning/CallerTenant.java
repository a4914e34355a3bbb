package com.agentcostcontrol.router.planning;

import java.util.UUID;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.RequestIdentity;

/** Whose routing a request is about: the caller's tenant, or (operators, services) the tenant it names. */
final class CallerTenant {

    private CallerTenant() {
    }

    /**
     * The tenant to act for: {@code requested} when given (the caller must be allowed to read it:
     * operators and services any, others only their own), else the caller's own tenant
     * ({@code null} for an operator: operator level).
     */
    static String resolve(RequestIdentity identity, String requested) {
        CallerIdentity caller = identity.caller();
        if (requested == null || requested.isBlank()) {
            return caller.tenantId();
        }
        try {
            UUID.fromString(requested.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("tenantId", "tenantId must be a tenant id (UUID), got '" + requested + "'");
        }
        identity.requireRead(requested.trim());
        return requested.trim();
    }

    /** Operators and services without a tenant see every tenant's deployments. */
    static boolean seesEveryTenant(RequestIdentity identity, String tenantId) {
        CallerIdentity caller = identity.caller();
        return tenantId == null && (caller.isOperator() || caller.isService());
    }
}
