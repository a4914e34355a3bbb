package com.agentcostcontrol.budget.service;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import com.agentcostcontrol.budget.Webhook;
import com.agentcostcontrol.budget.repository.DeliveryRepository;
import com.agentcostcontrol.budget.repository.WebhookRepository;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Turns fired alerts into webhook deliveries (in the alert's own transaction, so the outbox row commits
 * with the alert or not at all) and counts them ({@code acc_budget_alerts_total{type,threshold}}) once
 * committed, then wakes the sender so the delivery goes out at once rather than at the next poll. A tenant
 * without a webhook gets no delivery; the alert is still listed by the API.
 */
@ApplicationScoped
public class AlertNotifier {

    private final WebhookRepository webhooks;
    private final DeliveryRepository deliveries;
    private final AlertPayloads payloads;
    private final MeterRegistry metrics;
    private final WebhookDispatcher dispatcher;

    public AlertNotifier(WebhookRepository webhooks, DeliveryRepository deliveries, AlertPayloads payloads,
            MeterRegistry metrics, WebhookDispatcher dispatcher) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.payloads = payloads;
        this.metrics = metrics;
        this.dispatcher = dispatcher;
    }

    void enqueueThreshold(@Observes ThresholdReached e) {
        UUID tenant = e.budget().tenantId();
        Optional<Webhook> hook = webhooks.find(tenant);
        if (hook.isPresent()) {
            UUID eventId = AlertPayloads.thresholdEventId(e.budget(), e.window(), e.threshold());
            deliveries.enqueue(eventId, tenant, e.budget().id(), AlertPayloads.THRESHOLD_REACHED, payloads.threshold(eventId, e));
        }
    }

    void enqueueForecast(@Observes ForecastReached e) {
        UUID tenant = e.budget().tenantId();
        if (webhooks.find(tenant).isPresent()) {
            UUID eventId = AlertPayloads.forecastEventId(e.budget(), e.window());
            deliveries.enqueue(eventId, tenant, e.budget().id(), AlertPayloads.EXHAUSTION_FORECAST, payloads.forecast(eventId, e));
        }
    }

    void committedThreshold(@Observes(during = TransactionPhase.AFTER_SUCCESS) ThresholdReached e) {
        count("threshold_reached", Integer.toString(e.threshold()));
        dispatcher.wake();
    }

    void committedForecast(@Observes(during = TransactionPhase.AFTER_SUCCESS) ForecastReached e) {
        count("exhaustion_forecast", "forecast");
        dispatcher.wake();
    }

    private void count(String type, String threshold) {
        Counter.builder("acc.budget.alerts").description("Budget alerts fired (once per budget, period and threshold)")
                .tag("type", type).tag("threshold", threshold).register(metrics).increment();
    }
}
