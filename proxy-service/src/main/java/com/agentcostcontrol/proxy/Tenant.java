package com.agentcostcontrol.proxy;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A customer of the gateway. Status {@code active} or {@code suspended} (suspended tenants get 402). */
@Entity
@Table(name = "tenants")
public class Tenant extends PanacheEntityBase {

    public static final String ACTIVE = "active";
    public static final String SUSPENDED = "suspended";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String status = ACTIVE;

    /** Requests per minute across all the tenant's keys; null: no tenant-level limit. */
    @Column(name = "rpm_limit")
    public Integer rpmLimit;

    /** Tokens per minute across all the tenant's keys; null: no tenant-level limit. */
    @Column(name = "tpm_limit")
    public Integer tpmLimit;

    /** LLM calls in flight at once across all the tenant's keys; null: no tenant-level limit. */
    @Column(name = "max_concurrent")
    public Integer maxConcurrent;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Bumped on every change: the key cache's database poll watches it. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
