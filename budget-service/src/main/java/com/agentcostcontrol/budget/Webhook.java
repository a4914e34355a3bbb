package com.agentcostcontrol.budget;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's alert webhook.
 *
 * @param secretCiphertext the signing secret, encrypted with {@code ACC_SECRET_KEY}; never shown again
 */
public record Webhook(UUID tenantId, String url, String secretCiphertext, Instant createdAt, Instant updatedAt) {
}
