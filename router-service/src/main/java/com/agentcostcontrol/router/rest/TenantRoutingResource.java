package com.agentcostcontrol.router.rest;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.agentcostcontrol.router.Owner;
import com.agentcostcontrol.router.service.RoutingAdmin;

/**
 * A tenant's own deployments and routes ({@code /v1/routing/**}), on the caller's tenant: admins
 * (and manage-scoped keys) change them, viewers read them. A tenant's route overrides the
 * operator's route of the same model for that tenant.
 */
@Path("/v1/routing")
public class TenantRoutingResource extends RoutingEndpoints {

    private final RequestIdentity identity;

    public TenantRoutingResource(RoutingAdmin admin, RequestIdentity identity) {
        super(admin);
        this.identity = identity;
    }

    @Override
    protected Owner readableOwner() {
        UUID tenant = callerTenant();
        identity.requireRead(tenant.toString());
        return Owner.tenant(tenant);
    }

    @Override
    protected Owner writableOwner() {
        UUID tenant = callerTenant();
        identity.requireWrite(tenant.toString());
        return Owner.tenant(tenant);
    }

    /** The route the caller's calls to {@code model} use: the tenant's own, else the operator's. */
    @GET
    @Path("effective-routes/{model: .+}")
    public RouteView effectiveRoute(@PathParam("model") String model) {
        Owner owner = readableOwner();
        return admin.effectiveRoute(owner.tenantId(), model).map(RouteView::of)
                .orElseThrow(() -> ApiException.notFound("no route for model '" + model
                        + "': calls to it use the built-in deployments"));
    }

    private UUID callerTenant() {
        CallerIdentity caller = identity.caller();
        if (caller.tenantId() == null) {
            throw ApiException.forbidden("/v1/routing acts on the caller's tenant and this identity has none; "
                    + "operator-level routing is under /admin/v1/deployments and /admin/v1/routes");
        }
        try {
            return UUID.fromString(caller.tenantId());
        } catch (IllegalArgumentException e) {
            throw ApiException.forbidden("the caller's tenant id is not a valid id");
        }
    }
}
