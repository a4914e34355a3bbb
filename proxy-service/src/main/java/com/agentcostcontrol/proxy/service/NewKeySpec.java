package com.agentcostcontrol.proxy.service;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A validated request for a new virtual key.
 *
 * @param models    models the key may call; empty means every model
 * @param rpmLimit  requests per minute, or null for none
 * @param tpmLimit  tokens per minute, or null for none
 * @param expiresAt when the key stops working, or null for never
 * @param maxConcurrent calls in flight at once with the key, or null for none
 * @param scopes    non-empty subset of {@code llm}, {@code manage}
 */
public record NewKeySpec(String name, List<String> models, Integer rpmLimit, Integer tpmLimit, Instant expiresAt,
        Set<String> scopes, Integer maxConcurrent) {

    /** A key without a concurrency limit. */
    public NewKeySpec(String name, List<String> models, Integer rpmLimit, Integer tpmLimit, Instant expiresAt,
            Set<String> scopes) {
        this(name, models, rpmLimit, tpmLimit, expiresAt, scopes, null);
    }

    public NewKeySpec {
        models = List.copyOf(models);
        scopes = Set.copyOf(scopes);
    }
}
