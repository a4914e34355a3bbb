package com.agentcostcontrol.budget.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.service.BudgetService;
import com.agentcostcontrol.budget.service.BudgetStatusService;
import com.agentcostcontrol.budget.service.ForecastAlerts;
import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The tenant budget API, reached through the proxy ({@code /v1/budgets/**} is forwarded with a signed
 * identity). A tenant caller acts on its own tenant; operators and services name the tenant with query
 * parameter {@code tenantId} when creating or listing. Another tenant's budget answers 404.
 */
@Path("/v1/budgets")
@Produces(MediaType.APPLICATION_JSON)
public class BudgetResource {

    private final BudgetService budgets;
    private final BudgetStatusService statuses;
    private final ForecastAlerts forecastAlerts;
    private final RequestIdentity identity;

    public BudgetResource(BudgetService budgets, BudgetStatusService statuses, ForecastAlerts forecastAlerts,
            RequestIdentity identity) {
        this.budgets = budgets;
        this.statuses = statuses;
        this.forecastAlerts = forecastAlerts;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonNode body, @QueryParam("tenantId") String tenantParam, @Context UriInfo uri) {
        UUID tenant = tenantOf(tenantParam);
        identity.requireWrite(tenant.toString());
        Budget created = budgets.create(tenant, BudgetRequestParser.parse(body, tenant.toString()));
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .entity(BudgetView.of(created)).build();
    }

    @GET
    public Map<String, List<BudgetView>> list(@QueryParam("tenantId") String tenantParam) {
        UUID tenant = tenantOf(tenantParam);
        identity.requireRead(tenant.toString());
        return Map.of("budgets", budgets.ofTenant(tenant).stream().map(BudgetView::of).toList());
    }

    @GET
    @Path("{id}")
    public BudgetView get(@PathParam("id") String id) {
        return BudgetView.of(visible(id));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public BudgetView update(@PathParam("id") String id, JsonNode body) {
        Budget existing = visible(id);
        identity.requireWrite(existing.definition().tenantId());
        return BudgetView.of(budgets.update(existing, BudgetRequestParser.parse(body, existing.definition().tenantId())));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        Budget existing = visible(id);
        identity.requireWrite(existing.definition().tenantId());
        budgets.delete(existing);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/status")
    public BudgetStatusView status(@PathParam("id") String id) {
        Budget budget = visible(id);
        return BudgetStatusView.of(budget.definition().id(), statuses.status(budget, Instant.now()));
    }

    @GET
    @Path("{id}/alerts")
    public Map<String, List<?>> alerts(@PathParam("id") String id) {
        Budget budget = visible(id);
        return Map.of("alerts", budgets.alerts(budget).stream().map(AlertView::of).toList(),
                "forecastAlerts", forecastAlerts.ofBudget(budget).stream().map(ForecastAlertView::of).toList());
    }

    /** The budget if it exists and the caller may read its tenant; otherwise 404 (existence is not revealed). */
    private Budget visible(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("budget " + id + " not found");
        }
        CallerIdentity caller = identity.caller();
        return budgets.find(uuid).filter(b -> caller.canRead(b.definition().tenantId()))
                .orElseThrow(() -> ApiException.notFound("budget " + id + " not found"));
    }

    private UUID tenantOf(String tenantParam) {
        String tenant = tenantParam != null && !tenantParam.isBlank() ? tenantParam : identity.caller().tenantId();
        if (tenant == null) {
            throw ApiException.badRequest("tenantId", "this identity acts for no tenant: name one with query parameter tenantId");
        }
        try {
            return UUID.fromString(tenant);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("tenantId", "tenantId must be a tenant id (a UUID)");
        }
    }
}
