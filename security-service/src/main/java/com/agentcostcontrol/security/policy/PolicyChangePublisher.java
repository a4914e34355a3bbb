package com.agentcostcontrol.security.policy;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;

/**
 * After a policy change is committed, publishes {@code {"tenantId", "action"}} on
 * {@value PolicyService#CHANNEL} so every proxy reloads its policy snapshot. A failed publish is
 * logged: the proxies' periodic refresh still picks the change up.
 */
@ApplicationScoped
public class PolicyChangePublisher {

    private static final Logger LOG = Logger.getLogger(PolicyChangePublisher.class);

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;

    public PolicyChangePublisher(ReactiveRedisDataSource redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) PolicyChanged change) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", change.tenantId().toString());
        body.put("action", change.action());
        String message;
        try {
            message = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode security policy change", e);
        }
        redis.pubsub(String.class).publish(PolicyService.CHANNEL, message).subscribe().with(
                ignored -> LOG.debugf("published %s", message),
                failure -> LOG.warnf("could not publish security policy change %s (proxies pick it up at their next"
                        + " periodic refresh): %s", message, failure.getMessage()));
    }
}
