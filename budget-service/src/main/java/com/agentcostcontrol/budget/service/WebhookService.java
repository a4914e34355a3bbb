package com.agentcostcontrol.budget.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.budget.Webhook;
import com.agentcostcontrol.budget.WebhookDelivery;
import com.agentcostcontrol.budget.config.BudgetConfig;
import com.agentcostcontrol.budget.repository.BudgetRepository;
import com.agentcostcontrol.budget.repository.DeliveryRepository;
import com.agentcostcontrol.budget.repository.WebhookRepository;
import com.agentcostcontrol.platform.error.ApiException;

/** A tenant's alert webhook: set (with a new signing secret, shown once), read, remove; its deliveries. */
@ApplicationScoped
public class WebhookService {

    /** A webhook just configured, with its secret in clear: the only time the secret is shown. */
    public record Configured(Webhook webhook, String secret) {
    }

    private final WebhookRepository webhooks;
    private final DeliveryRepository deliveries;
    private final BudgetRepository budgets;
    private final WebhookSecrets secrets;
    private final BudgetConfig config;

    public WebhookService(WebhookRepository webhooks, DeliveryRepository deliveries, BudgetRepository budgets,
            WebhookSecrets secrets, BudgetConfig config) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.budgets = budgets;
        this.secrets = secrets;
        this.config = config;
    }

    /**
     * Creates or replaces the tenant's webhook. Every call issues a new signing secret; deliveries still
     * pending are signed with it from their next attempt on.
     */
    public Configured configure(UUID tenantId, String url) {
        try {
            WebhookUrls.check(url, config.webhook().allowPrivateNetworks());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("url", e.getMessage());
        }
        if (!budgets.tenantExists(tenantId)) {
            throw ApiException.notFound("tenant " + tenantId + " not found");
        }
        String secret = secrets.newSecret();
        Webhook stored = webhooks.upsert(tenantId, url, secrets.seal(tenantId, secret), Instant.now());
        return new Configured(stored, secret);
    }

    public Optional<Webhook> find(UUID tenantId) {
        return webhooks.find(tenantId);
    }

    /** Removes the webhook; deliveries still pending fail at their next attempt. */
    public boolean delete(UUID tenantId) {
        return webhooks.delete(tenantId);
    }

    public List<WebhookDelivery> deliveries(UUID tenantId, UUID budgetId, String status, int limit) {
        return deliveries.ofTenant(tenantId, budgetId, status, limit);
    }

    public Optional<WebhookDelivery> delivery(UUID tenantId, UUID eventId) {
        return deliveries.find(tenantId, eventId);
    }
}
