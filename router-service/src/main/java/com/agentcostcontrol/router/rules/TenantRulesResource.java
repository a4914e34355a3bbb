package com.agentcostcontrol.router.rules;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tenant's own routing rules; they run before the operator's. Viewers read, admins (and keys
 * with scope {@code manage}) change; operators and services act for a tenant with {@code tenantId}.
 * Another tenant's rule answers 404.
 */
@Path("/v1/routing/rules")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TenantRulesResource {

    private final RoutingRuleService service;
    private final RequestIdentity identity;

    public TenantRulesResource(RoutingRuleService service, RequestIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    public OperatorRulesResource.RuleList list(@QueryParam("tenantId") String tenantId) {
        UUID tenant = readable(tenantId);
        return new OperatorRulesResource.RuleList(service.list(tenant).stream().map(RuleView::of).toList());
    }

    @POST
    public Response create(JsonNode body, @QueryParam("tenantId") String tenantId) {
        UUID tenant = writable(tenantId);
        return Response.status(Response.Status.CREATED).entity(RuleView.of(service.create(tenant, RuleSpec.parse(body))))
                .build();
    }

    @GET
    @Path("{id}")
    public RuleView get(@PathParam("id") String id, @QueryParam("tenantId") String tenantId) {
        return RuleView.of(service.get(readable(tenantId), id));
    }

    @PUT
    @Path("{id}")
    public RuleView replace(@PathParam("id") String id, JsonNode body, @QueryParam("tenantId") String tenantId) {
        UUID tenant = writable(tenantId);
        return RuleView.of(service.replace(tenant, id, RuleSpec.parse(body)));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @QueryParam("tenantId") String tenantId) {
        UUID tenant = writable(tenantId);
        service.delete(tenant, id);
        return Response.noContent().build();
    }

    private UUID readable(String requested) {
        UUID tenant = tenant(requested);
        identity.requireRead(tenant.toString());
        return tenant;
    }

    private UUID writable(String requested) {
        UUID tenant = tenant(requested);
        identity.requireWrite(tenant.toString());
        return tenant;
    }

    /** The caller's tenant, or the one named (which the caller must be allowed to access: checked by the callers). */
    private UUID tenant(String requested) {
        CallerIdentity caller = identity.caller();
        String tenant = requested == null || requested.isBlank() ? caller.tenantId() : requested.trim();
        if (tenant == null) {
            throw ApiException.badRequest("tenantId", "name the tenant with ?tenantId=...; operator-level rules are at"
                    + " /admin/v1/routing/rules");
        }
        try {
            return UUID.fromString(tenant);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("tenantId", "tenantId must be a tenant id (UUID), got '" + tenant + "'");
        }
    }
}
