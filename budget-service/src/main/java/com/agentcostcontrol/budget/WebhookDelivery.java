package com.agentcostcontrol.budget;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One event in the webhook outbox and what happened to it.
 *
 * @param payload     the exact JSON body sent on every attempt
 * @param status      {@code pending}, {@code delivered} or {@code failed} (given up)
 * @param attempts    attempts started so far (one more than {@code attemptLog} while an attempt is under way)
 * @param attemptLog  the recorded attempts, oldest first
 */
public record WebhookDelivery(long id, UUID eventId, UUID tenantId, UUID budgetId, String eventType, String payload,
        String status, int attempts, Instant nextAttemptAt, Integer lastStatusCode, String lastError, Instant deliveredAt,
        Instant createdAt, List<Attempt> attemptLog) {

    public WebhookDelivery {
        attemptLog = List.copyOf(attemptLog);
    }

    /**
     * One attempt.
     *
     * @param statusCode the receiver's HTTP status, {@code null} when it did not answer
     * @param outcome    {@code delivered}, {@code retry} (will be tried again) or {@code failed} (given up)
     */
    public record Attempt(int attempt, Instant startedAt, int durationMs, Integer statusCode, String error, String outcome) {
    }
}
