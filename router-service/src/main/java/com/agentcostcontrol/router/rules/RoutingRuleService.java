package com.agentcostcontrol.router.rules;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.router.catalog.CatalogService;
import com.agentcostcontrol.router.routing.BuiltinDeployments;
import com.agentcostcontrol.router.routing.RoutingRule;

/**
 * Routing rules of one owner (the operator level when {@code tenantId} is null, else one tenant):
 * validation, storage and a {@link RuleChanged} event after every committed change. Another
 * owner's rule answers 404, exactly like a missing one.
 */
@ApplicationScoped
public class RoutingRuleService {

    private final RoutingRuleRepository rules;
    private final CatalogService catalog;
    private final Event<RuleChanged> changes;

    public RoutingRuleService(RoutingRuleRepository rules, CatalogService catalog, Event<RuleChanged> changes) {
        this.rules = rules;
        this.catalog = catalog;
        this.changes = changes;
    }

    public List<RoutingRuleEntity> list(UUID tenantId) {
        return rules.listFor(tenantId);
    }

    public RoutingRuleEntity get(UUID tenantId, String id) {
        return parseId(id).flatMap(uuid -> rules.findFor(tenantId, uuid))
                .orElseThrow(() -> ApiException.notFound("routing rule " + id + " not found"));
    }

    @Transactional
    public RoutingRuleEntity create(UUID tenantId, RuleSpec spec) {
        checkTarget(tenantId, spec);
        RoutingRuleEntity e = new RoutingRuleEntity();
        e.id = UUID.randomUUID();
        e.tenantId = tenantId;
        apply(e, spec);
        e.createdAt = now();
        e.updatedAt = e.createdAt;
        rules.persist(e);
        flush(tenantId);
        changes.fire(new RuleChanged(tenantId, e.id, "created"));
        return e;
    }

    /** Replaces the rule entirely (fields left out of the body take their defaults). */
    @Transactional
    public RoutingRuleEntity replace(UUID tenantId, String id, RuleSpec spec) {
        RoutingRuleEntity e = get(tenantId, id);
        checkTarget(tenantId, spec);
        apply(e, spec);
        e.updatedAt = now();
        flush(tenantId);
        changes.fire(new RuleChanged(tenantId, e.id, "updated"));
        return e;
    }

    @Transactional
    public void delete(UUID tenantId, String id) {
        RoutingRuleEntity e = get(tenantId, id);
        rules.delete(e);
        changes.fire(new RuleChanged(tenantId, e.id, "deleted"));
    }

    /**
     * A rule may only route to a model something can serve: a route the owner can use, a catalog
     * model, or a mock model. A typo would otherwise send every matching call into "no route".
     */
    private void checkTarget(UUID tenantId, RuleSpec spec) {
        if (spec.action() != RoutingRule.Action.ROUTE_TO_MODEL) {
            return;
        }
        String model = spec.actionModel();
        boolean known = BuiltinDeployments.MOCK_MODELS.contains(model) || rules.routeExists(tenantId, model)
                || catalog.catalog().lookup(tenantId == null ? null : tenantId.toString(), model).isPresent();
        if (!known) {
            throw ApiException.badRequest("action.model", "no route and no catalog model named '" + model
                    + "'; create a route for it first (PUT " + (tenantId == null ? "/admin/v1" : "/v1/routing")
                    + "/routes/{model}) or name a model listed by GET /v1/routing/models");
        }
    }

    private static void apply(RoutingRuleEntity e, RuleSpec spec) {
        e.priority = spec.priority();
        e.description = spec.description();
        e.enabled = spec.enabled();
        e.matchModel = spec.matchModel();
        e.matchTask = spec.matchTask() == null ? null : spec.matchTask().wireName();
        e.matchCapability = spec.matchCapability() == null ? null : spec.matchCapability().apiName();
        e.matchMaxCostUsd = spec.matchMaxCostUsd();
        e.action = spec.action().wireName();
        e.actionModel = spec.actionModel();
        e.actionStrategy = spec.actionStrategy() == null ? null : spec.actionStrategy().wireName();
        e.actionCapability = spec.actionCapability() == null ? null : spec.actionCapability().apiName();
    }

    /** Flushes now so that a tenant deleted meanwhile (foreign key) is a clear 404 rather than a 500 at commit. */
    private void flush(UUID tenantId) {
        try {
            rules.flush();
        } catch (PersistenceException ex) {
            ConstraintViolationException violation = ex instanceof ConstraintViolationException c ? c
                    : ex.getCause() instanceof ConstraintViolationException c ? c : null;
            if (violation != null && violation.getKind() == ConstraintViolationException.ConstraintKind.FOREIGN_KEY) {
                throw ApiException.notFound("tenant " + tenantId + " not found");
            }
            throw ex;
        }
    }

    /** Microsecond precision, as Postgres stores it, so that an answer equals a later read. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static Optional<UUID> parseId(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
