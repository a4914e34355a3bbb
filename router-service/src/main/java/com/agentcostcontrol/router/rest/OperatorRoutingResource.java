package com.agentcostcontrol.router.rest;

import jakarta.ws.rs.Path;

import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.agentcostcontrol.router.Owner;
import com.agentcostcontrol.router.service.RoutingAdmin;

/**
 * Operator-level deployments and routes ({@code tenant_id} NULL, used by every tenant):
 * {@code /admin/v1/deployments/**} and {@code /admin/v1/routes/**}, operator role only.
 */
@Path("/admin/v1")
public class OperatorRoutingResource extends RoutingEndpoints {

    private final RequestIdentity identity;

    public OperatorRoutingResource(RoutingAdmin admin, RequestIdentity identity) {
        super(admin);
        this.identity = identity;
    }

    @Override
    protected Owner readableOwner() {
        identity.requireOperator();
        return Owner.OPERATOR;
    }

    @Override
    protected Owner writableOwner() {
        identity.requireOperator();
        return Owner.OPERATOR;
    }
}
