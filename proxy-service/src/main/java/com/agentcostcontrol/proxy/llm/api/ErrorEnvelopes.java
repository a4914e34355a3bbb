package com.agentcostcontrol.proxy.llm.api;

import com.agentcostcontrol.proxy.llm.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The two LLM error envelopes (OpenAI on OpenAI paths, Anthropic on /v1/messages). */
public final class ErrorEnvelopes {

    private ErrorEnvelopes() {
    }

    /** {@code {"error":{"message","type","param":null,"code"}}}. */
    public static ObjectNode openAi(int status, String code, String message) {
        ObjectNode root = Json.object();
        root.putObject("error").put("message", message).put("type", openAiType(status)).putNull("param").put("code", code);
        return root;
    }

    /** {@code {"type":"error","error":{"type","message"}}}. */
    public static ObjectNode anthropic(int status, String message) {
        ObjectNode root = Json.object().put("type", "error");
        root.putObject("error").put("type", anthropicType(status)).put("message", message);
        return root;
    }

    static String openAiType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    static String anthropicType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
