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
        Instant expiresAt) {

    public static final String SCOPE_LLM = "llm";
    public static final String SCOPE_MANAGE = "manage";

    public AuthenticatedKey {
        scopes = Set.copyOf(scopes);
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public boolean allowsModel(String model) {
        return allowedModels.isEmpty() || allowedModels.contains(model);
    }
}
