package com.agentcostcontrol.router.routing.health;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Why an upstream attempt failed, as the proxy records it. Every kind makes the proxy go on with
 * the plan's next attempt (fall back); all but {@link #CONTEXT_WINDOW} count toward a deployment's
 * cooldown. Other client errors (400, 404, 422 that are not about the context window) are the
 * request's fault: they go back to the client, without fallback and without a health record.
 */
public enum FailureKind {
    /** 429 from the provider. */
    RATE_LIMITED("rate-limited", true),
    /** 5xx (including 529 overloaded). */
    SERVER_ERROR("server-error", true),
    /** No (complete) answer within the deployment's timeout, or 408. */
    TIMEOUT("timeout", true),
    /** Connection refused / reset / TLS or DNS failure before an answer. */
    CONNECTION("connection", true),
    /** 401 / 403: the deployment's credential is wrong or revoked. */
    AUTH("auth", true),
    /**
     * The prompt does not fit this deployment's context window. Says nothing about the deployment's
     * health (it is the request's size); falls back to a deployment with a larger window.
     */
    CONTEXT_WINDOW("context-window", false);

    private static final List<String> CONTEXT_MARKERS = List.of("context_length_exceeded", "maximum context length",
            "context window", "context length", "prompt is too long", "too many tokens", "input is too long",
            "reduce the length", "string_above_max_length", "exceeds the model's maximum");

    private final String wireName;
    private final boolean countsTowardCooldown;

    FailureKind(String wireName, boolean countsTowardCooldown) {
        this.wireName = wireName;
        this.countsTowardCooldown = countsTowardCooldown;
    }

    public String wireName() {
        return wireName;
    }

    public boolean countsTowardCooldown() {
        return countsTowardCooldown;
    }

    public static Optional<FailureKind> parse(String value) {
        return value == null ? Optional.empty()
                : Arrays.stream(values()).filter(k -> k.wireName.equals(value.trim().toLowerCase(Locale.ROOT))).findFirst();
    }

    /**
     * Classifies an upstream HTTP error answer. Empty for answers that are not a deployment failure
     * (2xx, and client errors the request caused), which the proxy returns to the client as they are.
     *
     * @param status    the upstream status
     * @param errorBody the start of the error body (a few KB are enough), may be {@code null}; only
     *                  scanned for context-window markers, never logged
     */
    public static Optional<FailureKind> ofHttpStatus(int status, String errorBody) {
        if (status == 429) {
            return Optional.of(RATE_LIMITED);
        }
        if (status == 408) {
            return Optional.of(TIMEOUT);
        }
        if (status >= 500 && status <= 599) {
            return Optional.of(SERVER_ERROR);
        }
        if (status == 401 || status == 403) {
            return Optional.of(AUTH);
        }
        if ((status == 400 || status == 413 || status == 422) && errorBody != null) {
            String body = errorBody.toLowerCase(Locale.ROOT);
            if (CONTEXT_MARKERS.stream().anyMatch(body::contains)) {
                return Optional.of(CONTEXT_WINDOW);
            }
        }
        return Optional.empty();
    }
}
