package com.agentcostcontrol.budget.core;

import java.util.regex.Pattern;

/**
 * Redis key names of the protocol. Every key of a tenant carries the hash tag {@code {<tenantId>}},
 * so all keys one script touches live in one Redis Cluster slot.
 */
public final class BudgetKeys {

    /** Prefix of every budget key. */
    public static final String PREFIX = "acc:budget:";
    /**
     * Set once a full rebuild from the ledger has completed (not hash-tagged: budget-service's sync
     * guard checks it to notice that Redis lost its data).
     */
    public static final String REBUILT_MARKER = PREFIX + "rebuilt";

    /** Ids become parts of keys and of the lease encoding ({@code |}-separated): keep them plain. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private BudgetKeys() {
    }

    public static String checkId(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " must be 1-128 characters of [A-Za-z0-9._:-], got "
                    + (id == null ? "nothing" : "\"" + id + "\""));
        }
        return id;
    }

    public static String tenantPrefix(String tenantId) {
        return PREFIX + "{" + tenantId + "}:";
    }

    /** Hash with fields {@code spent} and {@code reserved} of one budget in one period. */
    public static String counter(String tenantId, String budgetId, PeriodWindow window) {
        return tenantPrefix(tenantId) + "c:" + budgetId + ":" + window.token();
    }

    /** Sorted set: reservation id to lease expiry (epoch ms, Redis clock). */
    public static String leases(String tenantId) {
        return tenantPrefix(tenantId) + "leases";
    }

    /** Hash: reservation id to {@code <amount>|<counter key>|...}. */
    public static String leaseAmounts(String tenantId) {
        return tenantPrefix(tenantId) + "lease";
    }

    /** Marks a settled reservation (value: the actual cost), so a second settle changes nothing. */
    public static String settled(String tenantId, String reservationId) {
        return tenantPrefix(tenantId) + "done:" + reservationId;
    }

    /**
     * Present while the tenant's counters are known to be complete: set by a rebuild from the ledger
     * (and when a tenant gets its first budget). A FLUSHDB removes it; until it is back, reserve
     * refuses to judge hard budgets ({@link ReserveOutcome.Unsynced}).
     */
    public static String synced(String tenantId) {
        return tenantPrefix(tenantId) + "synced";
    }
}
