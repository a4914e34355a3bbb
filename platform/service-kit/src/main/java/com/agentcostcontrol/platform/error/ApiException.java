package com.agentcostcontrol.platform.error;

/** Thrown by service code to answer with the management error envelope. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String field;

    public ApiException(int status, String type, String message, String field) {
        super(message);
        this.status = status;
        this.type = type;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "invalid_request", message, field);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, null);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String field() {
        return field;
    }
}
