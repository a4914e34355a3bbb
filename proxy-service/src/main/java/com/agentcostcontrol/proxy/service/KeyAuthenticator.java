package com.agentcostcontrol.proxy.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.AuthenticatedKey;
import com.agentcostcontrol.proxy.KeyCheck;
import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.repository.KeyLookupRepository;
import com.agentcostcontrol.proxy.repository.KeyLookupRepository.StoredKey;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Checks a presented virtual key on every LLM and management call. Decisions are cached in
 * process by key hash (accepted for {@code cache-ttl}, unknown for {@code negative-ttl}); a
 * revocation or tenant suspension evicts them through {@link KeyInvalidation} (Redis pub/sub,
 * plus a database poll as safety net), so a revoked key stops working within about a second.
 */
@ApplicationScoped
public class KeyAuthenticator {

    private static final Logger LOG = Logger.getLogger(KeyAuthenticator.class);

    /** A cached decision; {@code tenantId}/{@code keyId} are kept to evict by tenant or key. */
    record Decision(KeyCheck check, UUID keyId, UUID tenantId) {
    }

    private final KeyLookupRepository repository;
    private final Clock clock;
    private final Cache<String, Decision> decisions;

    @Inject
    public KeyAuthenticator(KeyLookupRepository repository, ProxyConfig config) {
        this(repository, config, Clock.systemUTC());
    }

    KeyAuthenticator(KeyLookupRepository repository, ProxyConfig config, Clock clock) {
        this.repository = repository;
        this.clock = clock;
        Duration positive = config.keys().cacheTtl();
        Duration negative = config.keys().negativeTtl();
        this.decisions = Caffeine.newBuilder()
                .maximumSize(config.keys().cacheSize())
                .expireAfter(Expiry.creating((String hash, Decision d) ->
                        d.keyId() == null ? negative : positive))
                .build();
    }

    /**
     * Non-blocking check for the event loop: a cache hit answers at once, a miss reads the
     * database on a worker thread.
     */
    public Uni<KeyCheck> check(String presentedKey) {
        if (!KeyCodec.looksLikeKey(presentedKey)) {
            return Uni.createFrom().item(KeyCheck.invalid());
        }
        String hash = KeyCodec.hash(presentedKey);
        Decision cached = decisions.getIfPresent(hash);
        if (cached != null) {
            return Uni.createFrom().item(withExpiry(cached.check()));
        }
        return Uni.createFrom().item(() -> load(hash)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Blocking variant for worker threads (management endpoints). */
    public KeyCheck checkBlocking(String presentedKey) {
        if (!KeyCodec.looksLikeKey(presentedKey)) {
            return KeyCheck.invalid();
        }
        String hash = KeyCodec.hash(presentedKey);
        Decision cached = decisions.getIfPresent(hash);
        return cached != null ? withExpiry(cached.check()) : load(hash);
    }

    private KeyCheck load(String hash) {
        Optional<StoredKey> stored = repository.findByHash(hash);
        Decision decision = stored.map(this::decide).orElseGet(() -> new Decision(KeyCheck.invalid(), null, null));
        decisions.put(hash, decision);
        return withExpiry(decision.check());
    }

    private Decision decide(StoredKey stored) {
        AuthenticatedKey key = stored.key();
        KeyCheck check;
        if (stored.revokedAt() != null) {
            check = KeyCheck.invalid();
        } else if (!"active".equals(stored.tenantStatus())) {
            check = new KeyCheck.Refused(402, "tenant_suspended",
                    "This key's tenant is suspended; calls are refused until an operator reactivates it.");
        } else {
            check = new KeyCheck.Accepted(key);
        }
        return new Decision(check, key.keyId(), key.tenantId());
    }

    /** Expiry is checked on every call, cached or not, since it depends only on the clock. */
    private KeyCheck withExpiry(KeyCheck check) {
        if (check instanceof KeyCheck.Accepted accepted) {
            Instant expiresAt = accepted.key().expiresAt();
            if (expiresAt != null && !clock.instant().isBefore(expiresAt)) {
                return new KeyCheck.Refused(401, "expired_api_key",
                        "This API key expired at " + expiresAt + "; ask your tenant admin for a new key.");
            }
        }
        return check;
    }

    public void evictKey(UUID keyId) {
        decisions.asMap().values().removeIf(d -> keyId.equals(d.keyId()));
    }

    public void evictTenant(UUID tenantId) {
        decisions.asMap().values().removeIf(d -> tenantId.equals(d.tenantId()));
    }

    public void evictAll() {
        decisions.invalidateAll();
        LOG.debug("key cache cleared");
    }

    long cachedDecisions() {
        decisions.cleanUp();
        return decisions.estimatedSize();
    }
}
