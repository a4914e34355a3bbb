package com.agentcostcontrol.router.rest;

import java.time.Instant;
import java.util.UUID;

import com.agentcostcontrol.router.Deployment;

/** A deployment as the API returns it: the credential is never echoed, only whether there is one. */
public record DeploymentView(UUID id, UUID tenantId, String name, String provider, String model, String baseUrl,
        boolean hasApiKey, int weight, int timeoutMs, boolean enabled, Instant createdAt, Instant updatedAt) {

    public static DeploymentView of(Deployment d) {
        return new DeploymentView(d.id, d.tenantId, d.name, d.provider, d.model, d.baseUrl, d.apiKeyCiphertext != null,
                d.weight, d.timeoutMs, d.enabled, d.createdAt, d.updatedAt);
    }
}
