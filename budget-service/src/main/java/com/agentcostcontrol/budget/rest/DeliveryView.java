package com.agentcostcontrol.budget.rest;

import java.time.Instant;
import java.util.List;

import com.agentcostcontrol.budget.WebhookDelivery;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One webhook delivery as the API shows it: the event sent, its state and every attempt.
 *
 * @param attempts      attempts started
 * @param nextAttemptAt when the next attempt is due ({@code null} once delivered or failed)
 * @param event         the JSON body that is (or was) sent
 */
public record DeliveryView(String eventId, String type, String budgetId, String status, int attempts, Instant nextAttemptAt,
        Integer lastStatusCode, String lastError, Instant deliveredAt, Instant createdAt, JsonNode event,
        List<AttemptView> attemptLog) {

    /** One attempt; {@code statusCode} is null when the receiver did not answer. */
    public record AttemptView(int attempt, Instant startedAt, int durationMs, Integer statusCode, String error, String outcome) {
    }

    static DeliveryView of(WebhookDelivery d, ObjectMapper json) {
        JsonNode event;
        try {
            event = json.readTree(d.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored webhook payload is not JSON", e);
        }
        return new DeliveryView(d.eventId().toString(), d.eventType(), d.budgetId() == null ? null : d.budgetId().toString(),
                d.status(), d.attempts(), "pending".equals(d.status()) ? d.nextAttemptAt() : null, d.lastStatusCode(),
                d.lastError(), d.deliveredAt(), d.createdAt(), event,
                d.attemptLog().stream().map(a -> new AttemptView(a.attempt(), a.startedAt(), a.durationMs(), a.statusCode(),
                        a.error(), a.outcome())).toList());
    }
}
