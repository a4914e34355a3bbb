package com.agentcostcontrol.router.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.router.Deployment;
import com.agentcostcontrol.router.Owner;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Deployments, always read within one {@link Owner}'s rows. */
@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<Deployment, UUID> {

    public List<Deployment> listFor(Owner owner) {
        return owner.isOperator()
                ? list("tenantId is null", Sort.by("name"))
                : list("tenantId = ?1", Sort.by("name"), owner.tenantId());
    }

    public Optional<Deployment> findFor(Owner owner, UUID id) {
        return owner.isOperator()
                ? find("id = ?1 and tenantId is null", id).firstResultOptional()
                : find("id = ?1 and tenantId = ?2", id, owner.tenantId()).firstResultOptional();
    }

    public Optional<Deployment> findByName(Owner owner, String name) {
        return owner.isOperator()
                ? find("name = ?1 and tenantId is null", name).firstResultOptional()
                : find("name = ?1 and tenantId = ?2", name, owner.tenantId()).firstResultOptional();
    }
}
