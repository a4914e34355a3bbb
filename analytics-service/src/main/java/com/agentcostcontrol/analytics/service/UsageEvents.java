package com.agentcostcontrol.analytics.service;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.agentcostcontrol.analytics.UsageCall;

/**
 * Reads one {@code acc:usage} event (schema {@code docs/USAGE-EVENTS.md}, version 1) into a ledger row. The
 * event carries no prompt text; error messages name the faulty field, never its value.
 */
final class UsageEvents {

    /** The proxy's request ids are {@code req_} + 24 base-36 characters; accept any sane id. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** Longest name (model, agent, deployment...) stored; the proxy caps agent ids at 200. */
    private static final int MAX_TEXT = 512;

    private UsageEvents() {
    }

    /** Thrown for an event that can never be stored (malformed): it is acknowledged and counted, not retried. */
    static final class PoisonEvent extends RuntimeException {
        PoisonEvent(String reason) {
            super(reason, null, false, false);
        }
    }

    static UsageCall parse(String streamId, Map<String, String> f) {
        if (f == null || f.isEmpty()) {
            throw new PoisonEvent("empty event");
        }
        if (!"1".equals(f.get("v"))) {
            throw new PoisonEvent("unknown schema version");
        }
        String requestId = f.get("request_id");
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            throw new PoisonEvent("malformed request_id");
        }
        String cost = f.getOrDefault("cost_micros", "");
        long ttft = number(f, "ttft_ms");
        return new UsageCall(requestId,
                uuid(f, "tenant_id"), uuid(f, "key_id"), text(f, "agent_id"), required(f, "endpoint"),
                text(f, "requested_model"), text(f, "served_model"), text(f, "provider"), text(f, "deployment"),
                text(f, "deployment_id"), required(f, "status"), (int) bounded(f, "http_status", 0, 999),
                text(f, "error_code"), bool(f, "streamed"), (int) bounded(f, "attempts", 0, 1_000),
                tokens(f, "input_tokens"), tokens(f, "cache_read_tokens"), tokens(f, "cache_write_5m_tokens"),
                tokens(f, "cache_write_1h_tokens"), tokens(f, "output_tokens"), tokens(f, "reasoning_tokens"),
                bool(f, "tokens_estimated"),
                // Empty cost: the served model has no price, or the call never reached a model.
                cost.isEmpty() ? null : tokens(f, "cost_micros"),
                number(f, "latency_ms"), ttft < 0 ? null : ttft,
                Instant.ofEpochMilli(bounded(f, "ts", 0, Long.MAX_VALUE)), streamId);
    }

    private static long number(Map<String, String> f, String field) {
        try {
            return Long.parseLong(f.get(field));
        } catch (NumberFormatException e) {
            throw new PoisonEvent("malformed " + field);
        }
    }

    private static long bounded(Map<String, String> f, String field, long min, long max) {
        long n = number(f, field);
        if (n < min || n > max) {
            throw new PoisonEvent(field + " out of range");
        }
        return n;
    }

    private static long tokens(Map<String, String> f, String field) {
        return bounded(f, field, 0, Long.MAX_VALUE);
    }

    private static boolean bool(Map<String, String> f, String field) {
        String s = f.get(field);
        if ("true".equals(s)) {
            return true;
        }
        if ("false".equals(s)) {
            return false;
        }
        throw new PoisonEvent("malformed " + field);
    }

    private static UUID uuid(Map<String, String> f, String field) {
        String s = f.get(field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new PoisonEvent("malformed " + field);
        }
    }

    private static String required(Map<String, String> f, String field) {
        String s = text(f, field);
        if (s == null) {
            throw new PoisonEvent("missing " + field);
        }
        return s;
    }

    private static String text(Map<String, String> f, String field) {
        String s = f.get(field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.length() > MAX_TEXT) {
            throw new PoisonEvent(field + " longer than " + MAX_TEXT + " characters");
        }
        if (s.indexOf(0) >= 0) {
            // Postgres text cannot hold NUL: the insert would fail on every retry.
            throw new PoisonEvent(field + " contains a NUL character");
        }
        return s;
    }
}
