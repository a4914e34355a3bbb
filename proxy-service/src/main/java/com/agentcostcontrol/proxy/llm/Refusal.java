package com.agentcostcontrol.proxy.llm;

import java.util.Map;

/**
 * The pipeline's way to stop a call with an answer for the client: an HTTP status, an error code
 * and a message that says what was wrong and what to do (never a secret or prompt text). Thrown
 * (or failed into a Future) by any filter; the pipeline renders it in the endpoint's error envelope.
 */
public class Refusal extends RuntimeException {

    private final int status;
    private final String code;
    private final String usageStatus;
    private final Map<String, String> headers;

    public Refusal(int status, String code, String message) {
        this(status, code, message, "refused", Map.of());
    }

    /**
     * @param usageStatus status recorded in the usage event (refused, error, upstream_error, ...)
     * @param headers     extra response headers (Retry-After, ...)
     */
    public Refusal(int status, String code, String message, String usageStatus, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.usageStatus = usageStatus;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String usageStatus() {
        return usageStatus;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
