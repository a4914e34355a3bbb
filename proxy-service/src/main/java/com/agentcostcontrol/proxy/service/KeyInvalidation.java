package com.agentcostcontrol.proxy.service;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.repository.KeyLookupRepository;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Spreads key and tenant changes to every proxy instance's key cache. The writer evicts its own
 * cache at once and publishes on Redis channel {@value #CHANNEL}; every instance also polls the
 * database for rows updated since its last look, so a change lands within the poll interval even
 * when a pub/sub message is lost or Redis is down.
 */
@ApplicationScoped
public class KeyInvalidation {

    public static final String CHANNEL = "acc:keys:changed";
    /** Re-reads rows updated slightly before the watermark: commits can land out of timestamp order. */
    private static final Duration POLL_OVERLAP = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(KeyInvalidation.class);

    private final ReactiveRedisDataSource redis;
    private final KeyAuthenticator authenticator;
    private final KeyLookupRepository repository;
    private volatile Instant watermark;

    public KeyInvalidation(ReactiveRedisDataSource redis, KeyAuthenticator authenticator,
            KeyLookupRepository repository) {
        this.redis = redis;
        this.authenticator = authenticator;
        this.repository = repository;
    }

    void onStart(@Observes StartupEvent event) {
        redis.pubsub(String.class).subscribe(CHANNEL)
                .onFailure().invoke(e -> LOG.warnf("key invalidation subscription lost (%s); polling covers it, resubscribing",
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(this::onMessage);
    }

    /** Call after a key was revoked or changed (the row's updated_at must be bumped too). */
    public void keyChanged(UUID keyId) {
        authenticator.evictKey(keyId);
        publish("key:" + keyId);
    }

    /** Call after a tenant was suspended, reactivated or deleted. */
    public void tenantChanged(UUID tenantId) {
        authenticator.evictTenant(tenantId);
        publish("tenant:" + tenantId);
    }

    private void publish(String message) {
        redis.pubsub(String.class).publish(CHANNEL, message).subscribe().with(
                ignored -> { },
                e -> LOG.warnf("could not publish key invalidation (%s); other instances pick it up by polling",
                        e.getMessage()));
    }

    void onMessage(String message) {
        int colon = message.indexOf(':');
        if (colon < 0) {
            return;
        }
        try {
            UUID id = UUID.fromString(message.substring(colon + 1));
            switch (message.substring(0, colon)) {
                case "key" -> authenticator.evictKey(id);
                case "tenant" -> authenticator.evictTenant(id);
                default -> LOG.debugf("ignoring key invalidation message of unknown kind");
            }
        } catch (IllegalArgumentException e) {
            LOG.debugf("ignoring malformed key invalidation message");
        }
    }

    @Scheduled(every = "${acc.proxy.keys.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            if (watermark == null) {
                // First successful look: nothing cached can predate the cache, so start from now.
                watermark = repository.databaseNow();
                return;
            }
            Instant next = watermark;
            for (KeyLookupRepository.Change change : repository.changedSince(watermark.minus(POLL_OVERLAP))) {
                if (change.keyId() != null) {
                    authenticator.evictKey(change.keyId());
                } else {
                    authenticator.evictTenant(change.tenantId());
                }
                if (change.updatedAt().isAfter(next)) {
                    next = change.updatedAt();
                }
            }
            watermark = next;
        } catch (RuntimeException e) {
            LOG.warnf("key change poll failed: %s", e.getMessage());
        }
    }
}
