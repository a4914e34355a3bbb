package com.agentcostcontrol.budget.core;

import java.util.List;

/**
 * The answer to a settle.
 *
 * @param status         what happened
 * @param actualMicros   the cost counted (for DUPLICATE: the cost counted by the first settle)
 * @param releasedMicros the reservation amount given back (0 for LATE and DUPLICATE)
 * @param after          every budget's counter after the settle
 */
public record SettleOutcome(Status status, long actualMicros, long releasedMicros, List<BudgetUsage> after) {

    public enum Status {
        /** The lease was found; reservation replaced by the actual cost. */
        SETTLED,
        /**
         * No lease (it expired and was swept, or was never made): the actual cost was still added to
         * spent, because money spent is spent. Expiry before settle means the lease ttl is too short
         * for the call (renew long streams).
         */
        LATE,
        /** Already settled: nothing changed. */
        DUPLICATE
    }

    public SettleOutcome {
        after = List.copyOf(after);
    }
}
