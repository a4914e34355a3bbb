package com.agentcostcontrol.budget.core;

import java.util.Objects;

/**
 * The attributes of one LLM call that budgets are matched on.
 *
 * @param tenantId the calling tenant
 * @param keyId    the virtual key's id
 * @param agentId  the agent named by header {@code x-acc-agent-id}, or {@code null}
 * @param model    the model name the call asked for (before routing), or {@code null}
 */
public record CallContext(String tenantId, String keyId, String agentId, String model) {

    public CallContext {
        Objects.requireNonNull(tenantId, "tenantId");
    }
}
