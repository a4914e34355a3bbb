package com.agentcostcontrol.security.policy;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tenant's scanning policy. Viewers read, admins (and keys with scope {@code manage}) change;
 * operators and services act for a tenant with {@code ?tenantId=}. GET always answers the effective
 * policy (the default when the tenant has none); PUT replaces it (left-out categories take the
 * default); DELETE goes back to the default.
 */
@Path("/v1/security/policy")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SecurityPolicyResource {

    private final PolicyService service;
    private final RequestIdentity identity;

    public SecurityPolicyResource(PolicyService service, RequestIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    public PolicyView get(@QueryParam("tenantId") String tenantId) {
        UUID tenant = tenant(tenantId);
        identity.requireRead(tenant.toString());
        return service.get(tenant);
    }

    @PUT
    public PolicyView put(JsonNode body, @QueryParam("tenantId") String tenantId) {
        UUID tenant = tenant(tenantId);
        identity.requireWrite(tenant.toString());
        return service.put(tenant, PolicySpec.parse(body), identity.caller().subject());
    }

    @DELETE
    public PolicyView reset(@QueryParam("tenantId") String tenantId) {
        UUID tenant = tenant(tenantId);
        identity.requireWrite(tenant.toString());
        service.reset(tenant);
        return service.get(tenant);
    }

    /** The caller's tenant, or the one named (access is checked by the callers). */
    private UUID tenant(String requested) {
        CallerIdentity caller = identity.caller();
        String tenant = requested == null || requested.isBlank() ? caller.tenantId() : requested.trim();
        if (tenant == null) {
            throw ApiException.badRequest("tenantId", "name the tenant with ?tenantId=... (a policy belongs to a tenant)");
        }
        try {
            return UUID.fromString(tenant);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("tenantId", "tenantId must be a tenant id (UUID), got '" + tenant + "'");
        }
    }
}
