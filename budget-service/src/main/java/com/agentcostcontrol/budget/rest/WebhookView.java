package com.agentcostcontrol.budget.rest;

import java.time.Instant;

import com.agentcostcontrol.budget.Webhook;

/** {@code GET /v1/budgets/webhook}: the URL, never the secret. */
public record WebhookView(String url, Instant createdAt, Instant updatedAt) {

    static WebhookView of(Webhook w) {
        return new WebhookView(w.url(), w.createdAt(), w.updatedAt());
    }
}
