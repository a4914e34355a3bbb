package com.agentcostcontrol.router.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Read-only look-ups in the {@code tenants} table, which proxy-service owns. */
@ApplicationScoped
public class TenantDirectory {

    private final EntityManager em;

    public TenantDirectory(EntityManager em) {
        this.em = em;
    }

    public boolean exists(UUID tenantId) {
        return !em.createNativeQuery("SELECT 1 FROM tenants WHERE id = :id")
                .setParameter("id", tenantId).getResultList().isEmpty();
    }
}
