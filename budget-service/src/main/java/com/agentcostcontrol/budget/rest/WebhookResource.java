package com.agentcostcontrol.budget.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.agentcostcontrol.budget.service.WebhookService;
import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A tenant's budget-alert webhook and its deliveries. A tenant caller acts on its own tenant; operators and
 * services name it with query parameter {@code tenantId}. The signing secret is shown only in the answer
 * to {@code PUT}.
 */
@Path("/v1/budgets/webhook")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final Set<String> STATUSES = Set.of("pending", "delivered", "failed");

    private final WebhookService webhooks;
    private final RequestIdentity identity;
    private final ObjectMapper json;

    public WebhookResource(WebhookService webhooks, RequestIdentity identity, ObjectMapper json) {
        this.webhooks = webhooks;
        this.identity = identity;
        this.json = json;
    }

    /** {@code {"url": "https://..."}} → 200 {@code {"url", "secret"}}; every call issues a new secret. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, String> configure(JsonNode body, @QueryParam("tenantId") String tenantParam) {
        UUID tenant = tenantOf(tenantParam);
        identity.requireWrite(tenant.toString());
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest(null, "the request body must be a JSON object such as {\"url\": \"https://...\"}");
        }
        JsonNode url = body.get("url");
        if (url == null || url.isNull()) {
            throw ApiException.badRequest("url", "url is required, e.g. {\"url\": \"https://example.com/acc-alerts\"}");
        }
        if (!url.isTextual()) {
            throw ApiException.badRequest("url", "url must be a string");
        }
        WebhookService.Configured configured = webhooks.configure(tenant, url.textValue());
        Map<String, String> out = new LinkedHashMap<>();
        out.put("url", configured.webhook().url());
        out.put("secret", configured.secret());
        return out;
    }

    @GET
    public WebhookView get(@QueryParam("tenantId") String tenantParam) {
        UUID tenant = tenantOf(tenantParam);
        identity.requireRead(tenant.toString());
        return webhooks.find(tenant).map(WebhookView::of)
                .orElseThrow(() -> ApiException.notFound("no budget-alert webhook is configured; set one with PUT /v1/budgets/webhook"));
    }

    @DELETE
    public Response delete(@QueryParam("tenantId") String tenantParam) {
        UUID tenant = tenantOf(tenantParam);
        identity.requireWrite(tenant.toString());
        if (!webhooks.delete(tenant)) {
            throw ApiException.notFound("no budget-alert webhook is configured");
        }
        return Response.noContent().build();
    }

    /** Newest first; filters {@code budgetId}, {@code status} (pending, delivered, failed), {@code limit} (1-500, 50). */
    @GET
    @Path("deliveries")
    public Map<String, List<DeliveryView>> deliveries(@QueryParam("tenantId") String tenantParam,
            @QueryParam("budgetId") String budgetParam, @QueryParam("status") String status,
            @QueryParam("limit") String limitParam) {
        UUID tenant = tenantOf(tenantParam);
        identity.requireRead(tenant.toString());
        UUID budget = budgetParam == null || budgetParam.isBlank() ? null : uuid(budgetParam, "budgetId");
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badRequest("status", "status must be one of pending, delivered, failed");
        }
        int limit = DEFAULT_LIMIT;
        if (limitParam != null && !limitParam.isBlank()) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiException.badRequest("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        return Map.of("deliveries", webhooks.deliveries(tenant, budget, status, limit).stream()
                .map(d -> DeliveryView.of(d, json)).toList());
    }

    @GET
    @Path("deliveries/{eventId}")
    public DeliveryView delivery(@PathParam("eventId") String eventId, @QueryParam("tenantId") String tenantParam) {
        UUID tenant = tenantOf(tenantParam);
        identity.requireRead(tenant.toString());
        UUID id;
        try {
            id = UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("webhook delivery " + eventId + " not found");
        }
        return webhooks.delivery(tenant, id).map(d -> DeliveryView.of(d, json))
                .orElseThrow(() -> ApiException.notFound("webhook delivery " + eventId + " not found"));
    }

    private UUID tenantOf(String tenantParam) {
        String tenant = tenantParam != null && !tenantParam.isBlank() ? tenantParam : identity.caller().tenantId();
        if (tenant == null) {
            throw ApiException.badRequest("tenantId", "this identity acts for no tenant: name one with query parameter tenantId");
        }
        return uuid(tenant, "tenantId");
    }

    private static UUID uuid(String text, String field) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, field + " must be a UUID");
        }
    }
}
