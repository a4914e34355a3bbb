package com.agentcostcontrol.proxy.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.agentcostcontrol.proxy.VirtualKey;

import io.quarkus.panache.common.Sort;

/** Writes and reads of {@code virtual_keys}. Only key hashes are ever stored. */
@ApplicationScoped
public class VirtualKeyRepository {

    private final EntityManager em;

    public VirtualKeyRepository(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public VirtualKey insert(VirtualKey key) {
        key.createdAt = Instant.now();
        key.updatedAt = key.createdAt;
        key.persist();
        return key;
    }

    @Transactional
    public Optional<VirtualKey> find(UUID keyId) {
        return VirtualKey.findByIdOptional(keyId);
    }

    @Transactional
    public List<VirtualKey> listByTenant(UUID tenantId) {
        return VirtualKey.list("tenantId", Sort.by("createdAt").and("id"), tenantId);
    }

    /**
     * Revokes a key (idempotent: a second call keeps the first revocation time). Both timestamps
     * come from the database clock, which the key caches' poll compares against.
     *
     * @return whether this call revoked it
     */
    @Transactional
    public boolean revoke(UUID keyId) {
        return em.createNativeQuery(
                        "UPDATE virtual_keys SET revoked_at = now(), updated_at = now() WHERE id = ?1 AND revoked_at IS NULL")
                .setParameter(1, keyId).executeUpdate() == 1;
    }

    /** Replaces the key's rate limits (null: none); {@code updated_at} from the database clock for the cache poll. */
    @Transactional
    public Optional<VirtualKey> setLimits(UUID keyId, Integer rpmLimit, Integer tpmLimit, Integer maxConcurrent) {
        VirtualKey row = VirtualKey.findById(keyId);
        if (row == null) {
            return Optional.empty();
        }
        row.rpmLimit = rpmLimit;
        row.tpmLimit = tpmLimit;
        row.maxConcurrent = maxConcurrent;
        em.flush();
        em.createNativeQuery("UPDATE virtual_keys SET updated_at = now() WHERE id = ?1").setParameter(1, keyId).executeUpdate();
        em.clear();
        return VirtualKey.findByIdOptional(keyId);
    }
}
