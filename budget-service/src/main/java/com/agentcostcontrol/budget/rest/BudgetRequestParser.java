package com.agentcostcontrol.budget.rest;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.agentcostcontrol.budget.BudgetSpec;
import com.agentcostcontrol.budget.core.BudgetMode;
import com.agentcostcontrol.budget.core.BudgetPeriod;
import com.agentcostcontrol.budget.core.BudgetScope;
import com.agentcostcontrol.budget.core.DowngradePolicy;
import com.agentcostcontrol.budget.core.Money;
import com.agentcostcontrol.budget.core.ScopeType;
import com.agentcostcontrol.platform.error.ApiException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the body of {@code POST}/{@code PUT /v1/budgets} field by field, so every mistake is a 400 that
 * names the field (a money amount sent as a JSON number is refused rather than silently coerced):
 *
 * <pre>
 * {"scope": {"type": "tenant"|"key"|"agent"|"model"|"key+model", "id"?: str, "model"?: str},
 *  "period": "daily"|"weekly"|"monthly"|"total", "limitUsd": "decimal string", "mode"?: "hard"|"soft",
 *  "alertThresholds"?: [1..100], "timezone"?: IANA zone,
 *  "downgrade"?: {"model": str, "atPercent"?: 1..100 (default 100)}}
 * </pre>
 */
final class BudgetRequestParser {

    static final int MAX_TEXT = 200;
    static final int MAX_THRESHOLDS = 20;
    private static final ZoneId UTC = ZoneId.of("UTC");

    private BudgetRequestParser() {
    }

    static BudgetSpec parse(JsonNode body, String tenantId) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest(null, "the request body must be a JSON object describing the budget");
        }
        return new BudgetSpec(scope(body.get("scope"), tenantId), period(body.get("period")), limit(body.get("limitUsd")),
                mode(body.get("mode")), thresholds(body.get("alertThresholds")), zone(body.get("timezone")),
                downgrade(body.get("downgrade")));
    }

    /** Absent or null: no policy (a PUT without it removes the policy, like every other optional field). */
    private static DowngradePolicy downgrade(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("downgrade",
                    "downgrade must be an object such as {\"model\": \"gpt-4o-mini\", \"atPercent\": 90}, or null for none");
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("model") && !name.equals("atPercent")) {
                throw ApiException.badRequest("downgrade", "downgrade has only the fields model and atPercent (got \""
                        + clip(name) + "\")");
            }
        }
        String model = text(node.get("model"), "downgrade.model", true);
        JsonNode at = node.get("atPercent");
        int atPercent = 100;
        if (at != null && !at.isNull()) {
            if (!at.isIntegralNumber() || !at.canConvertToInt() || at.intValue() < 1 || at.intValue() > 100) {
                throw ApiException.badRequest("downgrade.atPercent", "downgrade.atPercent must be a whole percentage "
                        + "from 1 to 100: the share of the limit past which calls are downgraded (got " + clip(at.toString()) + ")");
            }
            atPercent = at.intValue();
        }
        return new DowngradePolicy(model, atPercent);
    }

    private static BudgetScope scope(JsonNode scope, String tenantId) {
        if (scope == null || scope.isNull()) {
            throw ApiException.badRequest("scope", "scope is required, e.g. {\"type\": \"tenant\"}");
        }
        if (!scope.isObject()) {
            throw ApiException.badRequest("scope", "scope must be an object such as {\"type\": \"key\", \"id\": \"<key id>\"}");
        }
        String typeText = text(scope.get("type"), "scope.type", true);
        ScopeType type = ScopeType.fromWire(typeText).orElseThrow(() -> ApiException.badRequest("scope.type",
                "scope.type must be one of " + names(ScopeType.values()) + " (got \"" + clip(typeText) + "\")"));
        String id = text(scope.get("id"), "scope.id", false);
        String model = text(scope.get("model"), "scope.model", false);
        return switch (type) {
            case TENANT -> {
                if (id != null && !id.equals(tenantId)) {
                    throw ApiException.badRequest("scope.id", "a tenant budget counts your whole tenant: leave scope.id out");
                }
                if (model != null) {
                    throw ApiException.badRequest("scope.model", "scope.model is only used with scope type key+model");
                }
                yield BudgetScope.tenant();
            }
            case KEY, AGENT, MODEL -> {
                requireId(id, type);
                if (model != null) {
                    throw ApiException.badRequest("scope.model", "scope.model is only used with scope type key+model");
                }
                yield new BudgetScope(type, id, null);
            }
            case KEY_MODEL -> {
                requireId(id, type);
                if (model == null) {
                    throw ApiException.badRequest("scope.model", "scope type key+model needs scope.model (the model name)");
                }
                yield BudgetScope.keyAndModel(id, model);
            }
        };
    }

    private static void requireId(String id, ScopeType type) {
        if (id == null) {
            String what = switch (type) {
                case KEY, KEY_MODEL -> "the virtual key's id";
                case AGENT -> "the agent id (as sent in header x-acc-agent-id)";
                default -> "the model name";
            };
            throw ApiException.badRequest("scope.id", "scope type " + type.wire() + " needs scope.id: " + what);
        }
    }

    private static BudgetPeriod period(JsonNode node) {
        String text = text(node, "period", true);
        return BudgetPeriod.fromWire(text).orElseThrow(() -> ApiException.badRequest("period",
                "period must be one of " + names(BudgetPeriod.values()) + " (got \"" + clip(text) + "\")"));
    }

    private static long limit(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("limitUsd", "limitUsd is required: a decimal string such as \"25.00\"");
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("limitUsd",
                    "limitUsd must be a decimal string such as \"25.00\" (a JSON string, not a number: money is never a float)");
        }
        try {
            return Money.parseUsd(node.asText());
        } catch (Money.MoneyFormatException e) {
            throw ApiException.badRequest("limitUsd", "limitUsd " + e.getMessage());
        }
    }

    private static BudgetMode mode(JsonNode node) {
        String text = text(node, "mode", false);
        if (text == null) {
            return BudgetMode.HARD;
        }
        return BudgetMode.fromWire(text).orElseThrow(() -> ApiException.badRequest("mode",
                "mode must be one of " + names(BudgetMode.values()) + " (got \"" + clip(text) + "\")"));
    }

    /** Thresholds when the body names none; an explicit {@code []} turns alerts off. */
    static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 75, 90, 100);

    private static List<Integer> thresholds(JsonNode node) {
        if (node == null || node.isNull()) {
            return DEFAULT_THRESHOLDS;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("alertThresholds", "alertThresholds must be an array of percentages, e.g. [50, 80, 100]");
        }
        if (node.size() > MAX_THRESHOLDS) {
            throw ApiException.badRequest("alertThresholds", "at most " + MAX_THRESHOLDS + " alert thresholds");
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (JsonNode t : node) {
            if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 1 || t.intValue() > 100) {
                throw ApiException.badRequest("alertThresholds",
                        "alertThresholds must be whole percentages from 1 to 100 (got " + clip(t.toString()) + ")");
            }
            out.add(t.intValue());
        }
        return List.copyOf(out);
    }

    private static ZoneId zone(JsonNode node) {
        String text = text(node, "timezone", false);
        if (text == null) {
            return UTC;
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("timezone",
                    "timezone must be an IANA time zone such as \"Europe/Berlin\" or \"UTC\" (got \"" + clip(text) + "\")");
        }
    }

    /** A string field: null when absent (or required), 400 when not a non-blank string of sane length. */
    private static String text(JsonNode node, String field, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badRequest(field, field + " is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw ApiException.badRequest(field, field + " must be a non-empty string");
        }
        if (node.asText().length() > MAX_TEXT) {
            throw ApiException.badRequest(field, field + " must be at most " + MAX_TEXT + " characters");
        }
        return node.asText();
    }

    private static String names(ScopeType[] values) {
        return Arrays.stream(values).map(ScopeType::wire).collect(Collectors.joining(", "));
    }

    private static String names(BudgetPeriod[] values) {
        return Arrays.stream(values).map(BudgetPeriod::wire).collect(Collectors.joining(", "));
    }

    private static String names(BudgetMode[] values) {
        return Arrays.stream(values).map(BudgetMode::wire).collect(Collectors.joining(", "));
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
