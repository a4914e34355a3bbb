package com.agentcostcontrol.router.rules;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Rules of one owner at a time: the operator level ({@code tenantId == null}) or one tenant. */
@ApplicationScoped
public class RoutingRuleRepository implements PanacheRepositoryBase<RoutingRuleEntity, UUID> {

    private static final Sort EVALUATION_ORDER = Sort.by("priority").and("createdAt").and("id");

    /** The owner's rules in evaluation order. */
    public List<RoutingRuleEntity> listFor(UUID tenantId) {
        return tenantId == null ? list("tenantId is null", EVALUATION_ORDER) : list("tenantId", EVALUATION_ORDER, tenantId);
    }

    /** The owner's rule with this id; empty for another owner's rule, exactly like a missing one. */
    public Optional<RoutingRuleEntity> findFor(UUID tenantId, UUID id) {
        return findByIdOptional(id).filter(r -> tenantId == null ? r.tenantId == null : tenantId.equals(r.tenantId));
    }

    /** Whether a route for {@code model} exists for the owner (a tenant also sees the operator's routes). */
    public boolean routeExists(UUID tenantId, String model) {
        String sql = tenantId == null
                ? "SELECT count(*) FROM routes WHERE model = ?1 AND tenant_id IS NULL"
                : "SELECT count(*) FROM routes WHERE model = ?1 AND (tenant_id IS NULL OR tenant_id = ?2)";
        var query = getEntityManager().createNativeQuery(sql).setParameter(1, model);
        if (tenantId != null) {
            query.setParameter(2, tenantId);
        }
        return ((Number) query.getSingleResult()).longValue() > 0;
    }
}
