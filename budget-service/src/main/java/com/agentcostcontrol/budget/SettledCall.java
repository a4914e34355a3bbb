package com.agentcostcontrol.budget;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One settled LLM call as the budget ledger records it.
 *
 * @param requestId   the call's request id (also its reservation id); the ledger keeps one row per id
 * @param tenantId    the tenant
 * @param budgetIds   the budgets the call was charged to (matched at reservation)
 * @param keyId       the virtual key, or {@code null}
 * @param agentId     the agent ({@code x-acc-agent-id}), or {@code null}
 * @param model       the model name the call asked for, or {@code null}
 * @param costMicros  the actual cost in micro-USD
 * @param at          when the call was reserved: fixes the period each budget is charged in
 */
public record SettledCall(String requestId, UUID tenantId, List<UUID> budgetIds, UUID keyId, String agentId,
        String model, long costMicros, Instant at) {

    public SettledCall {
        budgetIds = List.copyOf(budgetIds);
    }
}
