package com.agentcostcontrol.router.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.agentcostcontrol.router.Owner;
import com.agentcostcontrol.router.service.DeploymentSpec;
import com.agentcostcontrol.router.service.RouteSpec;
import com.agentcostcontrol.router.service.RoutingAdmin;

/**
 * The deployment and route endpoints, shared by the operator API ({@code /admin/v1}) and the tenant
 * API ({@code /v1/routing}); a subclass says whose rows a caller reads and writes.
 */
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public abstract class RoutingEndpoints {

    protected final RoutingAdmin admin;

    protected RoutingEndpoints(RoutingAdmin admin) {
        this.admin = admin;
    }

    /** The owner whose rows the caller may read; throws when it may not read any. */
    protected abstract Owner readableOwner();

    /** The owner whose rows the caller may change; throws when it may not change any. */
    protected abstract Owner writableOwner();

    @GET
    @Path("deployments")
    public List<DeploymentView> listDeployments() {
        return admin.deployments(readableOwner()).stream().map(DeploymentView::of).toList();
    }

    @POST
    @Path("deployments")
    public Response createDeployment(@Valid @NotNull DeploymentSpec body) {
        return Response.status(Response.Status.CREATED)
                .entity(DeploymentView.of(admin.createDeployment(writableOwner(), body))).build();
    }

    @GET
    @Path("deployments/{id}")
    public DeploymentView getDeployment(@PathParam("id") String id) {
        return DeploymentView.of(admin.deployment(readableOwner(), id));
    }

    @PUT
    @Path("deployments/{id}")
    public DeploymentView updateDeployment(@PathParam("id") String id, @Valid @NotNull DeploymentSpec body) {
        return DeploymentView.of(admin.updateDeployment(writableOwner(), id, body));
    }

    @DELETE
    @Path("deployments/{id}")
    public Response deleteDeployment(@PathParam("id") String id) {
        admin.deleteDeployment(writableOwner(), id);
        return Response.noContent().build();
    }

    @GET
    @Path("routes")
    public List<RouteView> listRoutes() {
        return admin.routes(readableOwner()).stream().map(RouteView::of).toList();
    }

    // Model names may contain '/' (e.g. "openai/gpt-4o"), hence the regex.
    @GET
    @Path("routes/{model: .+}")
    public RouteView getRoute(@PathParam("model") String model) {
        return RouteView.of(admin.route(readableOwner(), model));
    }

    @PUT
    @Path("routes/{model: .+}")
    public RouteView putRoute(@PathParam("model") String model, @Valid @NotNull RouteSpec body) {
        return RouteView.of(admin.putRoute(writableOwner(), model, body));
    }

    @DELETE
    @Path("routes/{model: .+}")
    public Response deleteRoute(@PathParam("model") String model) {
        admin.deleteRoute(writableOwner(), model);
        return Response.noContent().build();
    }
}
