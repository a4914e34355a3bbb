package com.agentcostcontrol.security.policy;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.security.core.Action;
import com.agentcostcontrol.security.core.Category;
import com.agentcostcontrol.security.core.Direction;
import com.agentcostcontrol.security.core.Policy;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parses and validates a policy body: {@code {"prompt": {"secrets": "block", ...}, "response": {...}}}.
 * Both directions and every category are optional; what is left out takes the default
 * ({@link Policy#DEFAULT}). Anything unknown is a 400 naming the field and the allowed values.
 */
public final class PolicySpec {

    private static final String CATEGORIES = "secrets, pii, injection";
    private static final String ACTIONS = "block, redact, flag, off";

    private PolicySpec() {
    }

    public static Policy parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "send a JSON object like {\"prompt\": {\"secrets\": \"block\", \"pii\":"
                    + " \"flag\", \"injection\": \"flag\"}, \"response\": {...}}");
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("prompt") && !name.equals("response")) {
                throw ApiException.badRequest(name, "unknown field '" + name + "'; a policy has 'prompt' and 'response'");
            }
        }
        return new Policy(direction(body, Direction.PROMPT), direction(body, Direction.RESPONSE));
    }

    private static Map<Category, Action> direction(JsonNode body, Direction direction) {
        Map<Category, Action> actions = new EnumMap<>(Category.class);
        JsonNode node = body.get(direction.id());
        if (node == null || node.isNull()) {
            return actions;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(direction.id(), direction.id() + " must be an object of category → action, e.g."
                    + " {\"secrets\": \"block\"}");
        }
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            String field = direction.id() + "." + f.getKey();
            Category category = Category.parse(f.getKey());
            if (category == null) {
                throw ApiException.badRequest(field, "unknown category '" + f.getKey() + "' in " + direction.id()
                        + "; categories are " + CATEGORIES);
            }
            Action action = f.getValue().isTextual() ? Action.parse(f.getValue().asText()) : null;
            if (action == null) {
                throw ApiException.badRequest(field, field + " must be one of " + ACTIONS + "; got " + f.getValue());
            }
            actions.put(category, action);
        }
        return actions;
    }
}
