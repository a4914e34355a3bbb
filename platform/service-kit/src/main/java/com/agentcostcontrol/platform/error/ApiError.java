package com.agentcostcontrol.platform.error;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one error envelope of every management API:
 * {@code {"error": {"type": "...", "message": "...", "field": "..."}}}. {@code message} says what
 * was wrong and what to do; {@code field} names the offending body field when there is one.
 */
public final class ApiError {

    private ApiError() {
    }

    public static Map<String, Object> body(String type, String message, String field) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return Map.of("error", error);
    }

    public static Response response(int status, String type, String message, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(type, message, field)).build();
    }

    public static Response badRequest(String field, String message) {
        return response(400, "invalid_request", message, field);
    }

    public static Response notFound(String message) {
        return response(404, "not_found", message, null);
    }

    public static Response conflict(String message) {
        return response(409, "conflict", message, null);
    }
}
