package com.agentcostcontrol.router.planning;

import java.util.ArrayList;
import java.util.List;

import com.agentcostcontrol.platform.error.ApiException;
import com.fasterxml.jackson.databind.JsonNode;

/** Reads fields of a JSON request body strictly: a wrong type is a 400 naming the field. */
public final class JsonFields {

    private JsonFields() {
    }

    /** An optional array of non-empty strings (empty list when absent). */
    public static List<String> strings(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiException.badRequest(field, field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw ApiException.badRequest(field, field + " must be an array of non-empty strings");
            }
            out.add(item.asText().trim());
        }
        return out;
    }

    /** An optional whole number within [min, max]; {@code fallback} when absent. */
    public static Long integer(JsonNode body, String field, long min, long max, Long fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < min || node.asLong() > max) {
            throw ApiException.badRequest(field, field + " must be a whole number from " + min + " to " + max);
        }
        return node.asLong();
    }

    /** An optional string of 1..maxLength characters (trimmed); {@code null} when absent. */
    public static String text(JsonNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > maxLength) {
            throw ApiException.badRequest(field, field + " must be a string of 1 to " + maxLength + " characters");
        }
        return node.asText().trim();
    }

    /** An optional boolean; {@code fallback} when absent. */
    public static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw ApiException.badRequest(field, field + " must be true or false");
        }
        return node.asBoolean();
    }
}
