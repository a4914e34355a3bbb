package com.agentcostcontrol.router.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.router.Owner;
import com.agentcostcontrol.router.Route;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Routes, always read within one {@link Owner}'s rows. */
@ApplicationScoped
public class RouteRepository implements PanacheRepositoryBase<Route, UUID> {

    public List<Route> listFor(Owner owner) {
        return owner.isOperator()
                ? list("tenantId is null", Sort.by("model"))
                : list("tenantId = ?1", Sort.by("model"), owner.tenantId());
    }

    public Optional<Route> findByModel(Owner owner, String model) {
        return owner.isOperator()
                ? find("model = ?1 and tenantId is null", model).firstResultOptional()
                : find("model = ?1 and tenantId = ?2", model, owner.tenantId()).firstResultOptional();
    }

    /**
     * Models of the routes that would resolve the deployment name {@code name} of {@code owner}:
     * the owner's own routes naming it, and, for an operator deployment, every tenant route naming
     * it where the tenant has no deployment of that name itself (tenant names shadow operator ones).
     */
    @SuppressWarnings("unchecked")
    public List<String> modelsUsingDeployment(Owner owner, String name) {
        if (!owner.isOperator()) {
            return getEntityManager().createNativeQuery(
                    "SELECT model FROM routes WHERE tenant_id = :tenant AND :name = ANY (deployments) ORDER BY model")
                    .setParameter("tenant", owner.tenantId())
                    .setParameter("name", name)
                    .getResultList();
        }
        return getEntityManager().createNativeQuery(
                "SELECT CASE WHEN r.tenant_id IS NULL THEN r.model ELSE r.model || ' (tenant ' || r.tenant_id || ')' END"
                        + " FROM routes r WHERE :name = ANY (r.deployments) AND (r.tenant_id IS NULL OR NOT EXISTS"
                        + " (SELECT 1 FROM deployments d WHERE d.tenant_id = r.tenant_id AND d.name = :name))"
                        + " ORDER BY r.tenant_id NULLS FIRST, r.model")
                .setParameter("name", name)
                .getResultList();
    }
}
