package com.agentcostcontrol.budget.core;

import java.util.List;

/** The answer to a reservation: admitted, refused by a hard budget, or not judgeable right now. */
public sealed interface ReserveOutcome {

    /**
     * The worst-case cost is held against every applicable budget.
     *
     * @param reservation the lease to settle or release
     * @param before      every budget's counter before this reservation
     * @param softCrossed soft budgets this reservation takes (or keeps) over their limit; they never refuse
     * @param duplicate   a retried reserve of a reservation id that already holds its lease
     */
    record Admitted(Reservation reservation, List<BudgetUsage> before, List<BudgetUsage> softCrossed,
            boolean duplicate) implements ReserveOutcome {
    }

    /**
     * Nothing was reserved: this hard budget has less room than the amount. When several hard
     * budgets refuse, this is the one with the least room left.
     *
     * @param refusing the refusing budget's counter (its id: {@code refusing.budget().id()})
     * @param before   every budget's counter at the time of the refusal
     */
    record Refused(BudgetUsage refusing, List<BudgetUsage> before) implements ReserveOutcome {
        public String budgetId() {
            return refusing.budget().id();
        }

        public long remainingMicros() {
            return refusing.remainingMicros();
        }
    }

    /**
     * Nothing was reserved: the tenant's counters are not known to be complete (Redis lost its data
     * and the counters were not rebuilt from the ledger yet) and a hard budget applies. The caller
     * applies its Redis-unavailable policy (fail closed by default).
     */
    record Unsynced(List<BudgetDefinition> budgets) implements ReserveOutcome {
    }
}
