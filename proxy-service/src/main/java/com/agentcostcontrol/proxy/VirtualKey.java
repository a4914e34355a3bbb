package com.agentcostcontrol.proxy;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A tenant's API key. Only {@link #keyHash} (SHA-256 hex) is stored; the key itself is shown once. */
@Entity
@Table(name = "virtual_keys")
public class VirtualKey extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;

    @Column(nullable = false)
    public String name;

    @Column(name = "key_hash", nullable = false, unique = true)
    public String keyHash;

    /** The first characters of the key, kept to recognise it in listings. */
    @Column(nullable = false)
    public String prefix;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] scopes;

    /** Models the key may call; null or empty means all. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "allowed_models", columnDefinition = "text[]")
    public String[] allowedModels;

    @Column(name = "rpm_limit")
    public Integer rpmLimit;

    @Column(name = "tpm_limit")
    public Integer tpmLimit;

    /** LLM calls in flight at once with this key; null: no key-level limit. */
    @Column(name = "max_concurrent")
    public Integer maxConcurrent;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Bumped on every change (revocation included): the key cache's database poll watches it. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
