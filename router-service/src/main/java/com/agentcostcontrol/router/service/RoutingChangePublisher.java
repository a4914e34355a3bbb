package com.agentcostcontrol.router.service;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import com.agentcostcontrol.router.RoutingChanged;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;

/**
 * Tells proxies about routing changes on {@value RoutingChanged#CHANNEL}, only once the change is
 * committed (a proxy that refreshes at once must see it). Fire-and-forget: when Redis is down the
 * proxies' periodic refresh still picks the change up, so a failed publish is logged, not raised.
 */
@ApplicationScoped
public class RoutingChangePublisher {

    private static final Logger LOG = Logger.getLogger(RoutingChangePublisher.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper json;

    public RoutingChangePublisher(ReactiveRedisDataSource redis, ObjectMapper json) {
        this.pubsub = redis.pubsub(String.class);
        this.json = json;
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RoutingChanged change) {
        String message = payload(change);
        pubsub.publish(RoutingChanged.CHANNEL, message).subscribe().with(
                ignored -> LOG.debugf("published %s", message),
                failure -> LOG.warnf("could not publish routing change %s on %s (proxies pick it up at their next "
                        + "periodic refresh): %s", message, RoutingChanged.CHANNEL, failure.getMessage()));
    }

    String payload(RoutingChanged change) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", change.tenantId() == null ? null : change.tenantId().toString());
        body.put("kind", change.kind());
        body.put("id", change.id().toString());
        body.put("action", change.action());
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode routing change", e);
        }
    }
}
