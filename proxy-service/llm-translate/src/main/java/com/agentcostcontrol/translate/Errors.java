package com.agentcostcontrol.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Error envelopes of both API families and the translation of an upstream error of one family
 * into the other.
 *
 * <ul>
 *   <li>OpenAI: {@code {"error":{"message","type","param","code"}}} ({@code param}/{@code code}
 *       are always present, possibly null).</li>
 *   <li>Anthropic: {@code {"type":"error","error":{"type","message"}}} with the documented type
 *       per status: 400 invalid_request_error, 401 authentication_error, 403 permission_error,
 *       404 not_found_error, 413 request_too_large, 429 rate_limit_error, 500 api_error,
 *       529 overloaded_error (other 4xx: invalid_request_error, other 5xx: api_error, 503 is
 *       treated as overloaded).</li>
 * </ul>
 * SDKs of both families decide retries from the HTTP status, so the status is kept except
 * Anthropic's non-standard 529, which becomes 503 for OpenAI clients.
 */
public final class Errors {

    /** Longest upstream text kept when an error body is not JSON (HTML from a load balancer, ...). */
    static final int MAX_RAW_MESSAGE = 500;

    private Errors() {
    }

    // ---------------------------------------------------------------- OpenAI

    /** {@code {"error":{"message","type","param":null,"code":null}}}. */
    public static ObjectNode openAi(int status, String type, String message) {
        return openAi(status, type, message, null, null);
    }

    /**
     * OpenAI error envelope. {@code type} null picks {@link #openAiType(int)}; status is only used
     * for that default (the caller sets the HTTP status).
     */
    public static ObjectNode openAi(int status, String type, String message, String param, String code) {
        ObjectNode err = Json.obj();
        err.put("message", message);
        err.put("type", type != null ? type : openAiType(status));
        err.put("param", param);
        err.put("code", code);
        ObjectNode root = Json.obj();
        root.set("error", err);
        return root;
    }

    /** The OpenAI error type customary for a status. */
    public static String openAiType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    // ---------------------------------------------------------------- Anthropic

    /** {@code {"type":"error","error":{"type":<type for status>,"message"}}}. */
    public static ObjectNode anthropic(int status, String message) {
        return anthropic(anthropicType(status), message);
    }

    /** {@code {"type":"error","error":{"type","message"}}} with an explicit Anthropic type. */
    public static ObjectNode anthropic(String type, String message) {
        ObjectNode err = Json.obj();
        err.put("type", type);
        err.put("message", message);
        ObjectNode root = Json.obj();
        root.put("type", "error");
        root.set("error", err);
        return root;
    }

    /** Anthropic's documented error type for an HTTP status. */
    public static String anthropicType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    // ---------------------------------------------------------------- translation

    /**
     * An Anthropic upstream error (status + raw body) as the OpenAI client should see it. The
     * message is kept; the Anthropic type becomes the OpenAI type, and when the two differ the
     * original Anthropic type is kept in {@code code}. A non-JSON body becomes the message
     * (truncated).
     */
    public static TranslatedError toOpenAi(int status, String anthropicBody) {
        JsonNode body = parseQuietly(anthropicBody);
        JsonNode err = body == null ? null : body.get("error");
        String aType = Json.text(err, "type");
        String message = Json.text(err, "message");
        if (message == null) {
            message = rawMessage(anthropicBody, status);
        }
        int outStatus = status == 529 ? 503 : status;
        String oType = aType == null ? openAiType(outStatus) : openAiTypeForAnthropic(aType, outStatus);
        String code = aType != null && !aType.equals(oType) ? aType : null;
        return new TranslatedError(outStatus, openAi(outStatus, oType, message, null, code));
    }

    /**
     * An OpenAI(-compatible) upstream error as the Anthropic client should see it. The type comes
     * from the status (Anthropic SDKs branch on it); the message is kept.
     */
    public static TranslatedError toAnthropic(int status, String openAiBody) {
        JsonNode body = parseQuietly(openAiBody);
        JsonNode err = body == null ? null : body.get("error");
        String message = err != null && err.isObject() ? Json.text(err, "message") : null;
        if (message == null && err != null && err.isTextual()) {
            message = err.asText(); // some OpenAI-compatible servers send {"error":"text"}
        }
        if (message == null) {
            message = rawMessage(openAiBody, status);
        }
        return new TranslatedError(status, anthropic(status, message));
    }

    /**
     * A mid-stream Anthropic {@code error} event (or its inner {@code error} object) as the OpenAI
     * stream error object {@code {"error":{...}}} that OpenAI sends as a data line.
     */
    public static ObjectNode anthropicStreamErrorToOpenAi(JsonNode anthropicErrorEvent) {
        JsonNode err = anthropicErrorEvent.has("error") ? anthropicErrorEvent.get("error") : anthropicErrorEvent;
        String aType = Json.text(err, "type");
        String message = Json.text(err, "message");
        if (message == null) {
            message = "The upstream model stream failed.";
        }
        int status = statusForAnthropicType(aType);
        String oType = aType == null ? "server_error" : openAiTypeForAnthropic(aType, status);
        return openAi(status, oType, message, null, aType != null && !aType.equals(oType) ? aType : null);
    }

    /** A mid-stream OpenAI error object ({@code {"error":{...}}}) as an Anthropic {@code error} event. */
    public static ObjectNode openAiStreamErrorToAnthropic(JsonNode openAiErrorChunk) {
        JsonNode err = openAiErrorChunk.has("error") ? openAiErrorChunk.get("error") : openAiErrorChunk;
        String message = err.isTextual() ? err.asText() : Json.text(err, "message");
        if (message == null) {
            message = "The upstream model stream failed.";
        }
        String type = anthropicTypeForOpenAi(err.isObject() ? Json.text(err, "type") : null,
                err.isObject() ? Json.text(err, "code") : null);
        return anthropic(type, message);
    }

    static String openAiTypeForAnthropic(String anthropicType, int status) {
        return switch (anthropicType) {
            case "invalid_request_error", "request_too_large" -> "invalid_request_error";
            case "authentication_error" -> "authentication_error";
            case "permission_error" -> "permission_error";
            case "not_found_error" -> "not_found_error";
            case "rate_limit_error" -> "rate_limit_error";
            case "billing_error" -> "insufficient_quota";
            case "api_error", "overloaded_error", "timeout_error" -> "server_error";
            default -> openAiType(status);
        };
    }

    static int statusForAnthropicType(String anthropicType) {
        if (anthropicType == null) {
            return 500;
        }
        return switch (anthropicType) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 503;
            default -> 500;
        };
    }

    /** Mid-stream OpenAI errors carry no status; guess the Anthropic type from type/code. */
    static String anthropicTypeForOpenAi(String type, String code) {
        String t = type == null ? "" : type;
        String c = code == null ? "" : code;
        if (t.equals("rate_limit_error") || t.equals("requests") || t.equals("tokens")
                || c.equals("rate_limit_exceeded") || t.equals("insufficient_quota")) {
            return "rate_limit_error";
        }
        if (t.equals("invalid_request_error")) {
            return "invalid_request_error";
        }
        if (t.equals("authentication_error")) {
            return "authentication_error";
        }
        if (c.equals("overloaded") || t.equals("overloaded_error")) {
            return "overloaded_error";
        }
        return "api_error";
    }

    private static JsonNode parseQuietly(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode n = Json.parse(body);
            return n != null && n.isObject() ? n : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String rawMessage(String body, int status) {
        if (body == null || body.isBlank()) {
            return "The upstream provider returned HTTP " + status + " with an empty body.";
        }
        String t = body.strip();
        if (t.length() > MAX_RAW_MESSAGE) {
            t = t.substring(0, MAX_RAW_MESSAGE) + "...";
        }
        return "The upstream provider returned HTTP " + status + ": " + t;
    }
}
