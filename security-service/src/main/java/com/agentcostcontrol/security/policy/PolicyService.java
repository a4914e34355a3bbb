package com.agentcostcontrol.security.policy;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.security.core.Action;
import com.agentcostcontrol.security.core.Category;
import com.agentcostcontrol.security.core.Direction;
import com.agentcostcontrol.security.core.Policy;

/** Reads and stores tenants' scanning policies; every committed change fires a {@link PolicyChanged}. */
@ApplicationScoped
public class PolicyService {

    /** Redis channel the proxies listen on to reload their policy snapshot. */
    public static final String CHANNEL = "acc:security:changed";

    private final EntityManager em;
    private final Event<PolicyChanged> changes;

    public PolicyService(EntityManager em, Event<PolicyChanged> changes) {
        this.em = em;
        this.changes = changes;
    }

    @Transactional
    public PolicyView get(UUID tenantId) {
        SecurityPolicyEntity row = em.find(SecurityPolicyEntity.class, tenantId);
        return PolicyView.of(tenantId.toString(), row == null ? Policy.DEFAULT : toPolicy(row), row);
    }

    @Transactional
    public PolicyView put(UUID tenantId, Policy policy, String updatedBy) {
        requireTenant(tenantId);
        SecurityPolicyEntity row = em.find(SecurityPolicyEntity.class, tenantId);
        Instant now = Instant.now();
        boolean created = row == null;
        if (created) {
            row = new SecurityPolicyEntity();
            row.tenantId = tenantId;
            row.createdAt = now;
        }
        row.promptSecrets = policy.action(Direction.PROMPT, Category.SECRETS).id();
        row.promptPii = policy.action(Direction.PROMPT, Category.PII).id();
        row.promptInjection = policy.action(Direction.PROMPT, Category.INJECTION).id();
        row.responseSecrets = policy.action(Direction.RESPONSE, Category.SECRETS).id();
        row.responsePii = policy.action(Direction.RESPONSE, Category.PII).id();
        row.responseInjection = policy.action(Direction.RESPONSE, Category.INJECTION).id();
        row.updatedBy = updatedBy == null ? null : updatedBy.substring(0, Math.min(200, updatedBy.length()));
        row.updatedAt = now;
        if (created) {
            em.persist(row); // after the fields are set: the insert takes the state at persist time
        }
        changes.fire(new PolicyChanged(tenantId, "updated"));
        return PolicyView.of(tenantId.toString(), toPolicy(row), row);
    }

    /** Back to the default policy; returns whether the tenant had one of its own. */
    @Transactional
    public boolean reset(UUID tenantId) {
        SecurityPolicyEntity row = em.find(SecurityPolicyEntity.class, tenantId);
        if (row == null) {
            return false;
        }
        em.remove(row);
        changes.fire(new PolicyChanged(tenantId, "reset"));
        return true;
    }

    private void requireTenant(UUID tenantId) {
        boolean exists = !em.createNativeQuery("SELECT 1 FROM tenants WHERE id = :id").setParameter("id", tenantId)
                .getResultList().isEmpty();
        if (!exists) {
            throw ApiException.notFound("tenant " + tenantId + " does not exist");
        }
    }

    /** The policy a view shows (the effective one). */
    static Policy toPolicyOf(PolicyView view) {
        java.util.Map<Category, Action> prompt = new java.util.EnumMap<>(Category.class);
        java.util.Map<Category, Action> response = new java.util.EnumMap<>(Category.class);
        view.prompt().forEach((c, a) -> prompt.put(Category.parse(c), Action.parse(a)));
        view.response().forEach((c, a) -> response.put(Category.parse(c), Action.parse(a)));
        return new Policy(prompt, response);
    }

    static Policy toPolicy(SecurityPolicyEntity row) {
        java.util.Map<Category, Action> prompt = new java.util.EnumMap<>(Category.class);
        prompt.put(Category.SECRETS, Action.parse(row.promptSecrets));
        prompt.put(Category.PII, Action.parse(row.promptPii));
        prompt.put(Category.INJECTION, Action.parse(row.promptInjection));
        java.util.Map<Category, Action> response = new java.util.EnumMap<>(Category.class);
        response.put(Category.SECRETS, Action.parse(row.responseSecrets));
        response.put(Category.PII, Action.parse(row.responsePii));
        response.put(Category.INJECTION, Action.parse(row.responseInjection));
        return new Policy(prompt, response);
    }
}
