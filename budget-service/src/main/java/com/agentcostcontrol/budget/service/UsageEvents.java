package com.agentcostcontrol.budget.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.agentcostcontrol.budget.core.BudgetKeys;

/**
 * Reads the fields of one {@code acc:usage} event (schema {@code docs/USAGE-EVENTS.md}, version 1) that the
 * ledger needs. Only ids, figures and model/agent names are read: the event carries no prompt text, and
 * error messages quote no field value except the request id.
 */
final class UsageEvents {

    private UsageEvents() {
    }

    /**
     * A usage event the ledger can charge, or {@link #chargeable()} false when there is nothing to charge.
     * {@code budgetIds}: the budgets the proxy's reservation held (field {@code budget_ids}); null when the
     * event does not say (no reservation, or a proxy older than the field): the consumer then re-matches.
     */
    record Usage(String requestId, UUID tenantId, UUID keyId, String agentId, String model, long costMicros,
            Instant at, List<UUID> budgetIds) {

        Usage(String requestId, UUID tenantId, UUID keyId, String agentId, String model, long costMicros, Instant at) {
            this(requestId, tenantId, keyId, agentId, model, costMicros, at, null);
        }

        boolean chargeable() {
            return tenantId != null && costMicros > 0;
        }
    }

    /** Thrown for an event that can never be processed (malformed): it is acknowledged and counted, not retried. */
    static final class PoisonEvent extends RuntimeException {
        PoisonEvent(String reason) {
            super(reason, null, false, false);
        }
    }

    static Usage parse(Map<String, String> f) {
        if (f == null || f.isEmpty()) {
            throw new PoisonEvent("empty event");
        }
        String v = f.get("v");
        if (!"1".equals(v)) {
            throw new PoisonEvent("unknown schema version");
        }
        String requestId = f.get("request_id");
        try {
            BudgetKeys.checkId("request id", requestId);
        } catch (IllegalArgumentException e) {
            throw new PoisonEvent("malformed request_id");
        }
        long ts = number(f, "ts");
        UUID tenant = uuid(f, "tenant_id");
        UUID key = uuid(f, "key_id");
        String costText = f.getOrDefault("cost_micros", "");
        // Empty cost: the served model has no price (or the call never reached a model): nothing to charge.
        long cost = costText.isEmpty() ? 0 : number(f, "cost_micros");
        if (cost < 0) {
            throw new PoisonEvent("negative cost_micros");
        }
        return new Usage(requestId, tenant, key, blankToNull(f.get("agent_id")), blankToNull(f.get("requested_model")),
                cost, Instant.ofEpochMilli(ts), budgetIds(f.get("budget_ids")));
    }

    /** {@code budget_ids}: comma-separated budget UUIDs; absent or empty = not known (null). */
    static List<UUID> budgetIds(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        List<UUID> ids = new ArrayList<>();
        for (String part : s.split(",")) {
            try {
                UUID id = UUID.fromString(part.trim());
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            } catch (IllegalArgumentException e) {
                throw new PoisonEvent("malformed budget_ids");
            }
        }
        return List.copyOf(ids);
    }

    private static long number(Map<String, String> f, String field) {
        String s = f.get(field);
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new PoisonEvent("malformed " + field);
        }
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

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
