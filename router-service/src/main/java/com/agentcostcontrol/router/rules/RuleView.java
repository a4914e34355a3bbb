package com.agentcostcontrol.router.rules;

import java.time.Instant;

import com.agentcostcontrol.router.planning.Usd;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A rule as the API shows it. {@code match} fields that are absent match anything. */
public record RuleView(String id, String tenantId, int priority, String description, boolean enabled, Match match,
        Action action, Instant createdAt, Instant updatedAt) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Match(String model, String task, String capability, String maxCostUsd) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Action(String type, String model, String strategy, String capability) {
    }

    public static RuleView of(RoutingRuleEntity e) {
        return new RuleView(e.id.toString(), e.tenantId == null ? null : e.tenantId.toString(), e.priority, e.description,
                e.enabled, new Match(e.matchModel, e.matchTask, e.matchCapability, Usd.format(e.matchMaxCostUsd)),
                new Action(e.action, e.actionModel, e.actionStrategy, e.actionCapability), e.createdAt, e.updatedAt);
    }
}
