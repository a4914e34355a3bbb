package com.agentcostcontrol.router;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A model name mapped to deployments (by name), a strategy to pick among them and the models to
 * fall back to (table {@code routes}). A null {@link #tenantId} marks an operator-level route; a
 * tenant's route for the same model overrides it for that tenant.
 */
@Entity
@Table(name = "routes")
public class Route {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(nullable = false)
    public String model;

    /** A {@link RouteStrategy} wire name. */
    @Column(nullable = false)
    public String strategy;

    /** Deployment names, in priority order. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public List<String> deployments = new ArrayList<>();

    /** Model names tried, in order, when every deployment of this route fails. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public List<String> fallbacks = new ArrayList<>();

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
