package com.agentcostcontrol.security.policy;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A tenant's scanning policy (table {@code security_policies}, V12); actions are stored lower-case. */
@Entity
@Table(name = "security_policies")
public class SecurityPolicyEntity {

    @Id
    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "prompt_secrets", nullable = false)
    public String promptSecrets;

    @Column(name = "prompt_pii", nullable = false)
    public String promptPii;

    @Column(name = "prompt_injection", nullable = false)
    public String promptInjection;

    @Column(name = "response_secrets", nullable = false)
    public String responseSecrets;

    @Column(name = "response_pii", nullable = false)
    public String responsePii;

    @Column(name = "response_injection", nullable = false)
    public String responseInjection;

    @Column(name = "updated_by")
    public String updatedBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
