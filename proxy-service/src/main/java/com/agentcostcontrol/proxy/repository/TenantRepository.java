package com.agentcostcontrol.proxy.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.agentcostcontrol.proxy.Tenant;

import io.quarkus.panache.common.Sort;

/** Writes and reads of {@code tenants}. Status changes bump {@code updated_at} with the database clock. */
@ApplicationScoped
public class TenantRepository {

    private final EntityManager em;

    public TenantRepository(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public Tenant create(String name) {
        Tenant tenant = new Tenant();
        tenant.id = UUID.randomUUID();
        tenant.name = name;
        tenant.status = Tenant.ACTIVE;
        tenant.createdAt = Instant.now();
        tenant.updatedAt = tenant.createdAt;
        tenant.persist();
        return tenant;
    }

    @Transactional
    public Optional<Tenant> find(UUID id) {
        return Tenant.findByIdOptional(id);
    }

    @Transactional
    public List<Tenant> list(int offset, int limit) {
        return Tenant.<Tenant>findAll(Sort.by("createdAt").and("id")).range(offset, offset + limit - 1).list();
    }

    /**
     * Sets the status; {@code updated_at} moves only on a real change, using the database's clock
     * because the key caches' poll compares it with database time.
     */
    @Transactional
    public Optional<Tenant> setStatus(UUID id, String status) {
        em.createNativeQuery("UPDATE tenants SET status = ?1, updated_at = now() WHERE id = ?2 AND status <> ?1")
                .setParameter(1, status).setParameter(2, id).executeUpdate();
        em.clear();
        return Tenant.findByIdOptional(id);
    }

    /** Replaces the tenant's rate limits (null: none); {@code updated_at} from the database clock, as above. */
    @Transactional
    public Optional<Tenant> setLimits(UUID id, Integer rpmLimit, Integer tpmLimit, Integer maxConcurrent) {
        Tenant row = Tenant.findById(id);
        if (row == null) {
            return Optional.empty();
        }
        row.rpmLimit = rpmLimit;
        row.tpmLimit = tpmLimit;
        row.maxConcurrent = maxConcurrent;
        em.flush();
        em.createNativeQuery("UPDATE tenants SET updated_at = now() WHERE id = ?1").setParameter(1, id).executeUpdate();
        em.clear();
        return Tenant.findByIdOptional(id);
    }
}
