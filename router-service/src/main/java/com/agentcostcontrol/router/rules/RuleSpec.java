package com.agentcostcontrol.router.rules;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.router.planning.JsonFields;
import com.agentcostcontrol.router.planning.Usd;
import com.agentcostcontrol.router.pricing.Capability;
import com.agentcostcontrol.router.routing.Glob;
import com.agentcostcontrol.router.routing.RoutingRule;
import com.agentcostcontrol.router.routing.Strategy;
import com.agentcostcontrol.router.routing.TaskType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A rule as written by the API (create and replace), validated field by field:
 * <pre>
 * {"priority"?: 0..1000000 (default 100), "description"?: str, "enabled"?: bool (default true),
 *  "match"?: {"model"?: glob, "task"?: plan|build|test|review, "capability"?: name, "maxCostUsd"?: "0.50"},
 *  "action": {"type": "route-to-model", "model": str}
 *          | {"type": "set-strategy", "strategy": priority|weighted|lowest-latency|lowest-cost}
 *          | {"type": "require-capability", "capability": name}}
 * </pre>
 * Unknown fields are refused (a typo must not silently widen a rule to every call).
 */
public record RuleSpec(int priority, String description, boolean enabled, String matchModel, TaskType matchTask,
        Capability matchCapability, BigDecimal matchMaxCostUsd, RoutingRule.Action action, String actionModel,
        Strategy actionStrategy, Capability actionCapability) {

    static final int DEFAULT_PRIORITY = 100;
    private static final Set<String> TOP = Set.of("priority", "description", "enabled", "match", "action");
    private static final Set<String> MATCH = Set.of("model", "task", "capability", "maxCostUsd");
    private static final Set<String> ACTION = Set.of("type", "model", "strategy", "capability");

    public static RuleSpec parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "send a JSON object with at least an \"action\"");
        }
        onlyKnown(body, TOP, "");
        int priority = JsonFields.integer(body, "priority", 0, 1_000_000, (long) DEFAULT_PRIORITY).intValue();
        String description = JsonFields.text(body, "description", 500);
        boolean enabled = JsonFields.bool(body, "enabled", true);

        JsonNode match = body.get("match");
        String model = null;
        TaskType task = null;
        Capability capability = null;
        BigDecimal maxCost = null;
        if (match != null && !match.isNull()) {
            if (!match.isObject()) {
                throw ApiException.badRequest("match", "match must be an object: {\"model\", \"task\", \"capability\", \"maxCostUsd\"}");
            }
            onlyKnown(match, MATCH, "match.");
            model = textField(match, "model", "match.model", 200);
            if (model != null) {
                try {
                    Glob.of(model);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("match.model", e.getMessage());
                }
            }
            String taskText = textField(match, "task", "match.task", 20);
            if (taskText != null) {
                task = TaskType.parse(taskText).orElseThrow(() -> ApiException.badRequest("match.task",
                        "match.task must be one of " + TaskType.names() + ", got '" + taskText + "'"));
            }
            capability = capability(textField(match, "capability", "match.capability", 40), "match.capability");
            maxCost = Usd.parse(match.get("maxCostUsd"), "match.maxCostUsd", false);
        }

        JsonNode action = body.get("action");
        if (action == null || action.isNull() || !action.isObject()) {
            throw ApiException.badRequest("action", "action is required: {\"type\": \"route-to-model\" | \"set-strategy\" |"
                    + " \"require-capability\", ...}");
        }
        onlyKnown(action, ACTION, "action.");
        String typeText = textField(action, "type", "action.type", 40);
        RoutingRule.Action type = RoutingRule.Action.parse(typeText).orElseThrow(() -> ApiException.badRequest("action.type",
                "action.type must be one of " + RoutingRule.Action.names() + (typeText == null ? "" : ", got '" + typeText + "'")));
        String targetModel = textField(action, "model", "action.model", 200);
        String strategyText = textField(action, "strategy", "action.strategy", 40);
        String targetCapabilityText = textField(action, "capability", "action.capability", 40);
        only(type, RoutingRule.Action.ROUTE_TO_MODEL, targetModel, "action.model");
        only(type, RoutingRule.Action.SET_STRATEGY, strategyText, "action.strategy");
        only(type, RoutingRule.Action.REQUIRE_CAPABILITY, targetCapabilityText, "action.capability");
        Strategy strategy = strategyText == null ? null : Strategy.parse(strategyText).orElseThrow(() -> ApiException.badRequest(
                "action.strategy", "action.strategy must be one of " + Strategy.names() + ", got '" + strategyText + "'"));
        Capability targetCapability = capability(targetCapabilityText, "action.capability");
        return new RuleSpec(priority, description, enabled, model, task, capability, maxCost, type, targetModel, strategy,
                targetCapability);
    }

    /** The argument an action needs must be there, and the others must not. */
    private static void only(RoutingRule.Action type, RoutingRule.Action owner, String value, String field) {
        if (type == owner && value == null) {
            throw ApiException.badRequest(field, type.wireName() + " needs " + field);
        }
        if (type != owner && value != null) {
            throw ApiException.badRequest(field, field + " belongs to " + owner.wireName() + ", not to " + type.wireName());
        }
    }

    private static Capability capability(String name, String field) {
        if (name == null) {
            return null;
        }
        return Capability.parse(name).orElseThrow(() -> ApiException.badRequest(field, "unknown capability '" + name
                + "'; use one of " + Arrays.stream(Capability.values()).map(Capability::apiName).toList()));
    }

    private static String textField(JsonNode node, String name, String field, int maxLength) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > maxLength) {
            throw ApiException.badRequest(field, field + " must be a string of 1 to " + maxLength + " characters");
        }
        return v.asText().trim();
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest(prefix + name, "unknown field '" + prefix + name + "'; known fields: "
                        + known.stream().sorted().map(k -> prefix + k).toList());
            }
        }
    }
}
