package com.agentcostcontrol.router.rules;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import com.agentcostcontrol.router.planning.PlanningService;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;

/**
 * After a rule change is committed: reloads this service's routing snapshot (so its next dry run
 * sees the change) and publishes {@code {"tenantId", "kind": "rule", "id", "action"}} on
 * {@value PlanningService#CHANNEL} for the proxies. A failed publish is logged: the proxies'
 * periodic refresh still picks the change up.
 */
@ApplicationScoped
public class RuleChangePublisher {

    private static final Logger LOG = Logger.getLogger(RuleChangePublisher.class);

    private final ReactiveRedisDataSource redis;
    private final PlanningService planning;
    private final ObjectMapper json;

    public RuleChangePublisher(ReactiveRedisDataSource redis, PlanningService planning, ObjectMapper json) {
        this.redis = redis;
        this.planning = planning;
        this.json = json;
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) RuleChanged change) {
        planning.reload();
        String message = payload(change);
        redis.pubsub(String.class).publish(PlanningService.CHANNEL, message).subscribe().with(
                ignored -> LOG.debugf("published %s", message),
                failure -> LOG.warnf("could not publish routing rule change %s (proxies pick it up at their next periodic"
                        + " refresh): %s", message, failure.getMessage()));
    }

    String payload(RuleChanged change) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", change.tenantId() == null ? null : change.tenantId().toString());
        body.put("kind", RuleChanged.KIND);
        body.put("id", change.id().toString());
        body.put("action", change.action());
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode routing rule change", e);
        }
    }
}
