package com.agentcostcontrol.security.policy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.agentcostcontrol.security.core.Category;
import com.agentcostcontrol.security.core.Direction;
import com.agentcostcontrol.security.core.Policy;

/**
 * A tenant's effective policy as the API shows it. {@code source} is {@code tenant} when the tenant
 * set one, {@code default} otherwise (then {@code updatedAt}/{@code updatedBy} are null).
 */
public record PolicyView(String tenantId, String source, Map<String, String> prompt, Map<String, String> response,
        Instant updatedAt, String updatedBy) {

    static PolicyView of(String tenantId, Policy policy, SecurityPolicyEntity row) {
        return new PolicyView(tenantId, row == null ? "default" : "tenant", actions(policy, Direction.PROMPT),
                actions(policy, Direction.RESPONSE), row == null ? null : row.updatedAt, row == null ? null : row.updatedBy);
    }

    private static Map<String, String> actions(Policy policy, Direction direction) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Category c : Category.values()) {
            m.put(c.id(), policy.action(direction, c).id());
        }
        return m;
    }
}
