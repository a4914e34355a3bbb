package com.agentcostcontrol.translate;

/**
 * A request that cannot be translated faithfully (for example {@code n > 1} for an Anthropic
 * deployment, or tool-call arguments that are not JSON). The proxy answers it with HTTP 400 in
 * the caller's own error envelope; {@link #param()} names the offending field (OpenAI's
 * {@code error.param}). Messages never echo prompt content.
 */
public class TranslationException extends RuntimeException {

    private final String param;

    public TranslationException(String param, String message) {
        super(message);
        this.param = param;
    }

    /** JSON path of the offending field, e.g. {@code messages[2].tool_calls[0].function.arguments}. */
    public String param() {
        return param;
    }

    /** This error as an OpenAI envelope (status 400, type {@code invalid_request_error}). */
    public com.fasterxml.jackson.databind.node.ObjectNode toOpenAiError() {
        return Errors.openAi(400, "invalid_request_error", getMessage(), param, null);
    }

    /** This error as an Anthropic envelope (type {@code invalid_request_error}). */
    public com.fasterxml.jackson.databind.node.ObjectNode toAnthropicError() {
        return Errors.anthropic(400, getMessage());
    }
}
