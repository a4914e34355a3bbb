package com.agentcostcontrol.router.rules;

import java.util.List;

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

import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Operator-level routing rules: they apply to every tenant, after the tenant's own rules
 * ({@code /v1/routing/rules}). Operators (and services) only.
 */
@Path("/admin/v1/routing/rules")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OperatorRulesResource {

    /** The owner's rules in evaluation order (priority, then age). */
    public record RuleList(List<RuleView> rules) {
    }

    private final RoutingRuleService service;
    private final RequestIdentity identity;

    public OperatorRulesResource(RoutingRuleService service, RequestIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    public RuleList list() {
        identity.requireOperator();
        return new RuleList(service.list(null).stream().map(RuleView::of).toList());
    }

    @POST
    public Response create(JsonNode body) {
        identity.requireOperator();
        return Response.status(Response.Status.CREATED).entity(RuleView.of(service.create(null, RuleSpec.parse(body)))).build();
    }

    @GET
    @Path("{id}")
    public RuleView get(@PathParam("id") String id) {
        identity.requireOperator();
        return RuleView.of(service.get(null, id));
    }

    @PUT
    @Path("{id}")
    public RuleView replace(@PathParam("id") String id, JsonNode body) {
        identity.requireOperator();
        return RuleView.of(service.replace(null, id, RuleSpec.parse(body)));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        identity.requireOperator();
        service.delete(null, id);
        return Response.noContent().build();
    }
}
