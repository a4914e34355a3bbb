package com.agentcostcontrol.budget.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.core.BudgetEngine;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;

/**
 * Tells every proxy that budget definitions changed, after the change is committed (a proxy reloading
 * earlier would read the old row). Message on channel {@value #CHANNEL}:
 * {@code {"tenantId":"…","budgetId":"…","change":"created|updated|deleted"}}. Proxies also reload their
 * snapshot periodically, so a lost message only delays a change.
 */
@ApplicationScoped
public class BudgetChangePublisher {

    public static final String CHANNEL = "acc:budgets:changed";
    private static final Logger LOG = Logger.getLogger(BudgetChangePublisher.class);

    private final ReactiveRedisDataSource redis;
    private final BudgetEngine engine;
    private final ObjectMapper json;

    public BudgetChangePublisher(ReactiveRedisDataSource redis, BudgetEngine engine, ObjectMapper json) {
        this.redis = redis;
        this.engine = engine;
        this.json = json;
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) BudgetChanged event) {
        Map<String, String> message = new LinkedHashMap<>();
        message.put("tenantId", event.budget().definition().tenantId());
        message.put("budgetId", event.budget().definition().id());
        message.put("change", event.change().name().toLowerCase(Locale.ROOT));
        try {
            redis.pubsub(String.class).publish(CHANNEL, json.writeValueAsString(message)).subscribe().with(
                    ignored -> { },
                    e -> LOG.warnf("could not publish budget change (%s); proxies pick it up at their next refresh",
                            e.getMessage()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode budget change", e);
        }
        if (event.change() == BudgetChanged.Change.DELETED) {
            // Best effort: an orphaned counter expires with its period anyway (total counters are the exception).
            engine.forget(event.budget().definition(), Instant.now()).whenComplete((ignored, e) -> {
                if (e != null) {
                    LOG.debugf("could not delete counters of deleted budget: %s", e.getMessage());
                }
            });
        }
    }
}
