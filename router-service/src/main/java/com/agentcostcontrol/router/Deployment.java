package com.agentcostcontrol.router;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One model at one provider endpoint with one credential (table {@code deployments}). A null
 * {@link #tenantId} marks an operator-level deployment that every tenant's routes may use.
 */
@Entity
@Table(name = "deployments")
public class Deployment {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(nullable = false)
    public String name;

    /** A {@link Provider} wire name. */
    @Column(nullable = false)
    public String provider;

    @Column(nullable = false)
    public String model;

    @Column(name = "base_url")
    public String baseUrl;

    /** {@code CredentialCipher} output bound to {@link #id}; never logged, never returned. */
    @Column(name = "api_key_ciphertext")
    public String apiKeyCiphertext;

    @Column(nullable = false)
    public int weight;

    @Column(name = "timeout_ms", nullable = false)
    public int timeoutMs;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Override
    public String toString() {
        // No credential here, not even its ciphertext.
        return "Deployment[" + id + " " + name + " " + provider + "/" + model + "]";
    }
}
