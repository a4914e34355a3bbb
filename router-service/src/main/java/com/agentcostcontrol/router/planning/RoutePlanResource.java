package com.agentcostcontrol.router.planning;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.agentcostcontrol.router.pricing.Capability;
import com.agentcostcontrol.router.routing.PlanRequest;
import com.agentcostcontrol.router.routing.RequestFeatures;
import com.agentcostcontrol.router.routing.TaskType;
import com.agentcostcontrol.router.routing.WireFormat;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST /v1/routing/plan}: what the proxy would try for a call, in order, with the reason
 * for each attempt and for everything left out. Nothing is called upstream.
 *
 * <p>The body is either an LLM request as a client would send it (OpenAI chat completions or
 * responses, Anthropic messages: anything with {@code messages} or {@code input}), from which
 * capabilities, prompt size and output limit are derived exactly as the proxy derives them, or a
 * plan request: {@code {"model", "taskType"?, "capabilities"?, "estimatedInputTokens"?,
 * "maxOutputTokens"?, "costCeilingUsd"?, "excludedDeployments"?, "inboundFormat"?, "tenantId"?}}.
 */
@Path("/v1/routing/plan")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RoutePlanResource {

    private final PlanningService planning;
    private final RequestIdentity identity;

    public RoutePlanResource(PlanningService planning, RequestIdentity identity) {
        this.planning = planning;
        this.identity = identity;
    }

    /**
     * @param body       an LLM request or a plan request
     * @param task       header {@code x-acc-task} (plan, build, test, review); an unknown value is ignored, as in the proxy
     * @param tenantId   whose routing to plan with (operators and services; others only their own)
     * @param format     the dialect of an LLM request body ({@code openai} or {@code anthropic}); detected when absent
     * @param costCeiling a cost ceiling for an LLM request body (decimal string USD)
     * @param exclude    deployment ids or names to leave out (repeatable), for an LLM request body
     */
    @POST
    public PlanView plan(JsonNode body, @HeaderParam(TaskType.HEADER) String task, @QueryParam("tenantId") String tenantId,
            @QueryParam("format") String format, @QueryParam("costCeilingUsd") String costCeiling,
            @QueryParam("exclude") List<String> exclude) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "send a JSON object: an OpenAI / Anthropic request, or a plan request"
                    + " with at least \"model\"");
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw ApiException.badRequest("model", "model is required: the model name the call asks for");
        }
        boolean llmRequest = body.has("messages") || body.has("input");
        PlanRequest request = llmRequest
                ? fromLlmRequest(body, model.asText(), task, tenantId, format, costCeiling, exclude)
                : fromPlanRequest(body, model.asText(), task, tenantId);
        PlanningService.DryRun run = planning.plan(request);
        return PlanView.of(run.plan(), request, run.healthKnown());
    }

    private PlanRequest fromLlmRequest(JsonNode body, String model, String task, String tenantId, String format,
            String costCeiling, List<String> exclude) {
        WireFormat wire = null;
        if (format != null && !format.isBlank()) {
            wire = WireFormat.parse(format).orElseThrow(() -> ApiException.badRequest("format",
                    "format must be openai or anthropic, got '" + format + "'"));
        }
        RequestFeatures features = RequestFeatures.of(body, wire);
        return PlanRequest.builder(CallerTenant.resolve(identity, tenantId), model).features(features)
                .taskType(TaskType.parse(task).orElse(null))
                .costCeilingUsd(Usd.parse(costCeiling, "costCeilingUsd", true))
                .exclude(exclude == null ? Set.of() : new LinkedHashSet<>(exclude))
                .build();
    }

    private PlanRequest fromPlanRequest(JsonNode body, String model, String task, String queryTenant) {
        JsonNode bodyTenant = body.get("tenantId");
        if (bodyTenant != null && !bodyTenant.isNull() && !bodyTenant.isTextual()) {
            throw ApiException.badRequest("tenantId", "tenantId must be a string (a tenant id)");
        }
        String tenant = CallerTenant.resolve(identity, bodyTenant != null && bodyTenant.isTextual() ? bodyTenant.asText()
                : queryTenant);

        TaskType taskType = null;
        JsonNode taskNode = body.get("taskType");
        if (taskNode != null && !taskNode.isNull()) {
            taskType = TaskType.parse(taskNode.asText(null)).orElseThrow(() -> ApiException.badRequest("taskType",
                    "taskType must be one of " + TaskType.names() + ", got " + taskNode));
        } else {
            taskType = TaskType.parse(task).orElse(null);
        }

        Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        for (String name : JsonFields.strings(body, "capabilities")) {
            capabilities.add(Capability.parse(name).orElseThrow(() -> ApiException.badRequest("capabilities",
                    "unknown capability '" + name + "'; use any of "
                            + Arrays.stream(Capability.values()).map(Capability::apiName).toList())));
        }
        long estimated = JsonFields.integer(body, "estimatedInputTokens", 0, 100_000_000, 0L);
        Long maxOut = JsonFields.integer(body, "maxOutputTokens", 0, Integer.MAX_VALUE, null);
        Integer maxOutput = maxOut == null ? null : maxOut.intValue();
        BigDecimal ceiling = Usd.parse(body.get("costCeilingUsd"), "costCeilingUsd", true);
        WireFormat inbound = WireFormat.OPENAI;
        JsonNode formatNode = body.get("inboundFormat");
        if (formatNode != null && !formatNode.isNull()) {
            inbound = WireFormat.parse(formatNode.asText(null)).orElseThrow(() -> ApiException.badRequest("inboundFormat",
                    "inboundFormat must be openai or anthropic"));
        }
        return PlanRequest.builder(tenant, model).taskType(taskType).require(capabilities).estimatedInputTokens(estimated)
                .maxOutputTokens(maxOutput).costCeilingUsd(ceiling)
                .exclude(new LinkedHashSet<>(JsonFields.strings(body, "excludedDeployments"))).inboundFormat(inbound).build();
    }
}
