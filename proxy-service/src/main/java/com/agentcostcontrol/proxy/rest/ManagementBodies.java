package com.agentcostcontrol.proxy.rest;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.proxy.service.NewKeySpec;
import com.agentcostcontrol.proxy.service.RateLimitSettings;
import com.agentcostcontrol.proxy.service.TenantAdministration;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads and validates management request bodies. Every refusal is a 400 naming the field and
 * saying what is expected; unknown fields are refused too (a typo such as {@code rpmlimit}
 * must not silently create a key without a limit).
 */
final class ManagementBodies {

    static final int MAX_NAME = 200;
    static final int MAX_MODELS = 500;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> TENANT_FIELDS = Set.of("name");
    private static final List<String> KEY_FIELDS = List.of("name", "models", "rpmLimit", "tpmLimit", "expiresAt", "scopes",
            "maxConcurrent");

    private ManagementBodies() {
    }

    static String tenantName(String body) {
        JsonNode root = object(body, TENANT_FIELDS);
        return name(root);
    }

    static NewKeySpec newKey(String body, Clock clock) {
        JsonNode root = object(body, Set.copyOf(KEY_FIELDS));
        String name = name(root);
        List<String> models = models(root.get("models"));
        Integer rpm = positiveInt(root.get("rpmLimit"), "rpmLimit");
        Integer tpm = positiveInt(root.get("tpmLimit"), "tpmLimit");
        Instant expiresAt = expiresAt(root.get("expiresAt"), clock);
        Set<String> scopes = scopes(root.get("scopes"));
        Integer concurrent = positiveInt(root.get("maxConcurrent"), "maxConcurrent");
        return new NewKeySpec(name, models, rpm, tpm, expiresAt, scopes, concurrent);
    }

    /**
     * {@code PUT /admin/v1/tenants/{id}/limits}: the whole set of a tenant's limits; a field left out or
     * null means no limit of that kind.
     */
    static RateLimitSettings tenantLimits(String body) {
        return RateLimitSettings.NONE.with(limitsPatch(body));
    }

    /**
     * {@code PATCH /admin/v1/keys/{id}}: the limits named in the body change (null removes one), the
     * others stay. At least one field is required.
     */
    static Map<String, Integer> keyLimitsPatch(String body) {
        Map<String, Integer> patch = limitsPatch(body);
        if (patch.isEmpty()) {
            throw ApiException.badRequest(null, "Name at least one of " + String.join(", ", RateLimitSettings.FIELDS)
                    + " (a number sets the limit, null removes it).");
        }
        return patch;
    }

    private static Map<String, Integer> limitsPatch(String body) {
        JsonNode root = object(body, Set.copyOf(RateLimitSettings.FIELDS));
        Map<String, Integer> patch = new HashMap<>();
        for (String field : RateLimitSettings.FIELDS) {
            if (root.has(field)) {
                patch.put(field, positiveInt(root.get(field), field));
            }
        }
        return patch;
    }

    private static JsonNode object(String body, Set<String> allowed) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest(null, "The request body is empty; send a JSON object.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonParseException e) {
            throw ApiException.badRequest(null, "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest(null, "The request body is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest(null, "The request body must be a JSON object.");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw ApiException.badRequest(field, "Unknown field '" + field + "'; allowed fields: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ".");
            }
        }
        return root;
    }

    private static String name(JsonNode root) {
        JsonNode node = root.get("name");
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("name", "'name' is required.");
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("name", "'name' must be a string.");
        }
        String name = node.asText().trim();
        if (name.isEmpty()) {
            throw ApiException.badRequest("name", "'name' must not be blank.");
        }
        if (name.length() > MAX_NAME) {
            throw ApiException.badRequest("name", "'name' must be at most " + MAX_NAME + " characters.");
        }
        return name;
    }

    private static List<String> models(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw ApiException.badRequest("models", "'models' must be a non-empty array of model names; "
                    + "leave it out to allow every model.");
        }
        if (node.size() > MAX_MODELS) {
            throw ApiException.badRequest("models", "'models' may list at most " + MAX_MODELS + " models.");
        }
        Set<String> models = new LinkedHashSet<>();
        for (JsonNode m : node) {
            if (!m.isTextual() || m.asText().isBlank()) {
                throw ApiException.badRequest("models", "'models' must contain only non-empty strings.");
            }
            if (m.asText().trim().length() > MAX_NAME) {
                throw ApiException.badRequest("models", "a model name must be at most " + MAX_NAME + " characters.");
            }
            models.add(m.asText().trim());
        }
        return new ArrayList<>(models);
    }

    private static Integer positiveInt(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() <= 0) {
            throw ApiException.badRequest(field, "'" + field + "' must be a positive whole number (at most "
                    + Integer.MAX_VALUE + "), or left out for no limit.");
        }
        return node.asInt();
    }

    private static Instant expiresAt(JsonNode node, Clock clock) {
        if (node == null || node.isNull()) {
            return null;
        }
        Instant at;
        try {
            if (!node.isTextual()) {
                throw new DateTimeParseException("not a string", node.toString(), 0);
            }
            at = OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("expiresAt", "'expiresAt' must be an ISO-8601 date-time with an offset, "
                    + "e.g. 2030-01-31T00:00:00Z.");
        }
        if (!at.isAfter(clock.instant())) {
            throw ApiException.badRequest("expiresAt", "'expiresAt' must be in the future.");
        }
        return at;
    }

    private static Set<String> scopes(JsonNode node) {
        if (node == null || node.isNull()) {
            return Set.of("llm");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw ApiException.badRequest("scopes", "'scopes' must be a non-empty array of \"llm\" and/or \"manage\".");
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (JsonNode s : node) {
            if (!s.isTextual() || !TenantAdministration.knownScope(s.asText())) {
                throw ApiException.badRequest("scopes", "unknown scope " + s + "; scopes are \"llm\" and \"manage\".");
            }
            scopes.add(s.asText());
        }
        return scopes;
    }

    /** The {@code limit}/{@code offset} query parameters of list calls. */
    static int boundedInt(String value, String field, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(field, "'" + field + "' must be a whole number from " + min + " to " + max + ".");
    }
}
