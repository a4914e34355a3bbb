package com.agentcostcontrol.proxy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A virtual key that passed authentication, as the hot path sees it (cached in process).
 *
 * @param allowedModels models the key may call; empty means every model
 * @param rpmLimit      requests per minute, or {@code null} for no key-level limit
 * @param tpmLimit      tokens per minute, or {@code null} for no key-level limit
 * @param maxConcurrent calls in flight at once with this key, or {@code null} for no key-level limit
 * @param tenantLimits  the tenant's own limits (across all its keys)
 */
public record AuthenticatedKey(
        UUID keyId,
        UUID tenantId,
        String keyName,
        String prefix,
        Set<String> scopes,
        List<String> allowedModels,
        Integer rpmLimit,
        Integer tpmLimit,
        Instant expiresAt,
        Integer maxConcurrent,
        TenantLimits tenantLimits) {

    public static final String SCOPE_LLM = "llm";
    public static final String SCOPE_MANAGE = "manage";

    /**
     * Rate limits of a whole tenant; each {@code null} means none at tenant level.
     *
     * @param rpmLimit      requests per minute
     * @param tpmLimit      tokens per minute
     * @param maxConcurrent calls in flight at once
     */
    public record TenantLimits(Integer rpmLimit, Integer tpmLimit, Integer maxConcurrent) {
        public static final TenantLimits NONE = new TenantLimits(null, null, null);
    }

    public AuthenticatedKey {
        scopes = Set.copyOf(scopes);
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
        tenantLimits = tenantLimits == null ? TenantLimits.NONE : tenantLimits;
    }

    /** A key without a concurrency limit whose tenant has no limits of its own. */
    public AuthenticatedKey(UUID keyId, UUID tenantId, String keyName, String prefix, Set<String> scopes,
            List<String> allowedModels, Integer rpmLimit, Integer tpmLimit, Instant expiresAt) {
        this(keyId, tenantId, keyName, prefix, scopes, allowedModels, rpmLimit, tpmLimit, expiresAt, null,
                TenantLimits.NONE);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public boolean allowsModel(String model) {
        return allowedModels.isEmpty() || allowedModels.contains(model);
    }
}
