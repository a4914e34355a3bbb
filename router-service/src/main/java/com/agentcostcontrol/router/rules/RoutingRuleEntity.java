package com.agentcostcontrol.router.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A routing rule (table {@code routing_rules}, V8). A null {@link #tenantId} marks an operator
 * rule, which applies to every tenant after the tenant's own rules.
 */
@Entity
@Table(name = "routing_rules")
public class RoutingRuleEntity {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(nullable = false)
    public int priority;

    public String description;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "match_model")
    public String matchModel;

    @Column(name = "match_task")
    public String matchTask;

    @Column(name = "match_capability")
    public String matchCapability;

    @Column(name = "match_max_cost_usd")
    public BigDecimal matchMaxCostUsd;

    @Column(nullable = false)
    public String action;

    @Column(name = "action_model")
    public String actionModel;

    @Column(name = "action_strategy")
    public String actionStrategy;

    @Column(name = "action_capability")
    public String actionCapability;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Override
    public String toString() {
        return "RoutingRule[" + id + " tenant " + tenantId + " priority " + priority + " " + action + "]";
    }
}
