package com.agentcostcontrol.budget.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.BudgetAlert;
import com.agentcostcontrol.budget.BudgetSpec;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetScope;
import com.agentcostcontrol.budget.core.DowngradePolicy;
import com.agentcostcontrol.budget.core.ScopeType;
import com.agentcostcontrol.budget.repository.AlertRepository;
import com.agentcostcontrol.budget.repository.BudgetRepository;
import com.agentcostcontrol.budget.repository.BudgetRepository.CatalogPrice;
import com.agentcostcontrol.platform.error.ApiException;

/** Budget definitions: create, change, delete; every change is published to the proxies after commit. */
@ApplicationScoped
public class BudgetService {

    private final BudgetRepository budgets;
    private final AlertRepository alerts;
    private final CounterSync counters;
    private final Event<BudgetChanged> changed;

    public BudgetService(BudgetRepository budgets, AlertRepository alerts, CounterSync counters, Event<BudgetChanged> changed) {
        this.budgets = budgets;
        this.alerts = alerts;
        this.counters = counters;
        this.changed = changed;
    }

    /** The budget's alert log, oldest first. */
    public List<BudgetAlert> alerts(Budget budget) {
        return alerts.ofBudget(budget.id());
    }

    public Optional<Budget> find(UUID id) {
        return budgets.find(id);
    }

    public List<Budget> ofTenant(UUID tenantId) {
        return budgets.ofTenant(tenantId);
    }

    @Transactional
    public Budget create(UUID tenantId, BudgetSpec spec) {
        if (!budgets.tenantExists(tenantId)) {
            throw ApiException.notFound("tenant " + tenantId + " not found");
        }
        checkScope(tenantId, spec.scope());
        checkDowngrade(spec);
        // Before the budget exists: its tenant's counters must be complete, or it could be judged on partial data.
        counters.ensureSynced(tenantId);
        Instant now = Instant.now();
        BudgetDefinition d = new BudgetDefinition(UUID.randomUUID().toString(), tenantId.toString(), spec.scope(),
                spec.period(), spec.limitMicros(), spec.mode(), spec.alertThresholds(), spec.zone(), now, spec.downgrade());
        budgets.insert(d, now);
        Budget created = new Budget(d, now);
        changed.fire(new BudgetChanged(created, BudgetChanged.Change.CREATED));
        return created;
    }

    /**
     * Changes limit, mode, thresholds, period and time zone. The scope cannot change: the spend counted so
     * far belongs to the old scope (delete the budget and create a new one instead).
     */
    @Transactional
    public Budget update(Budget existing, BudgetSpec spec) {
        BudgetDefinition old = existing.definition();
        if (!old.scope().equals(spec.scope())) {
            throw ApiException.badRequest("scope", "a budget's scope cannot be changed (spend was counted for the old "
                    + "scope); delete this budget and create a new one");
        }
        checkDowngrade(spec);
        Instant now = Instant.now();
        BudgetDefinition d = new BudgetDefinition(old.id(), old.tenantId(), old.scope(), spec.period(), spec.limitMicros(),
                spec.mode(), spec.alertThresholds(), spec.zone(), old.createdAt(), spec.downgrade());
        if (!budgets.update(d, now)) {
            throw ApiException.notFound("budget " + old.id() + " not found");
        }
        if (d.period() != old.period() || !d.zone().equals(old.zone())) {
            // A new period or zone means a new counter key: fill it from the ledger before proxies switch to it.
            // Redis trouble here fails the request and rolls the change back.
            counters.rebuild(d.tenantId(), List.of(d), now);
        }
        Budget updated = new Budget(d, now);
        changed.fire(new BudgetChanged(updated, BudgetChanged.Change.UPDATED));
        return updated;
    }

    @Transactional
    public void delete(Budget existing) {
        if (!budgets.delete(existing.id())) {
            throw ApiException.notFound("budget " + existing.id() + " not found");
        }
        changed.fire(new BudgetChanged(existing, BudgetChanged.Change.DELETED));
    }

    /**
     * The downgrade model must be a priced catalog model (the proxy reserves its worst case), and when the
     * budget counts one model, cheaper than that model (never dearer on input or output, cheaper on one).
     */
    private void checkDowngrade(BudgetSpec spec) {
        DowngradePolicy p = spec.downgrade();
        if (p == null) {
            return;
        }
        CatalogPrice price = budgets.catalogPrice(p.model()).orElseThrow(() -> ApiException.badRequest("downgrade.model",
                "downgrade.model '" + p.model() + "' is not in the price catalog; GET /v1/routing/models lists the models"));
        if (!price.priced()) {
            throw ApiException.badRequest("downgrade.model", "downgrade.model '" + p.model()
                    + "' has no input price in the catalog, so its cost could not be held against the budget;"
                    + " choose a priced model");
        }
        String counted = switch (spec.scope().type()) {
            case MODEL -> spec.scope().id();
            case KEY_MODEL -> spec.scope().model();
            default -> null;
        };
        if (counted == null) {
            return;
        }
        if (counted.equals(p.model())) {
            throw ApiException.badRequest("downgrade.model", "downgrade.model is the model this budget counts ('"
                    + counted + "'): choose a cheaper model");
        }
        Optional<CatalogPrice> countedPrice = budgets.catalogPrice(counted).filter(CatalogPrice::priced);
        if (countedPrice.isPresent() && !price.cheaperThan(countedPrice.get())) {
            throw ApiException.badRequest("downgrade.model", "downgrade.model '" + p.model() + "' is not cheaper than '"
                    + counted + "', the model this budget counts (input $" + plain(price.input()) + " vs $"
                    + plain(countedPrice.get().input()) + ", output $" + plain(price.output()) + " vs $"
                    + plain(countedPrice.get().output()) + " per token)");
        }
    }

    private static String plain(java.math.BigDecimal d) {
        return d == null ? "-" : d.stripTrailingZeros().toPlainString();
    }

    private void checkScope(UUID tenantId, BudgetScope scope) {
        if (scope.type() != ScopeType.KEY && scope.type() != ScopeType.KEY_MODEL) {
            return;
        }
        UUID keyId;
        try {
            keyId = UUID.fromString(scope.id());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("scope.id", "scope.id must be the id of one of your virtual keys (a UUID)");
        }
        if (!budgets.keyBelongsTo(keyId, tenantId)) {
            throw ApiException.badRequest("scope.id", "no virtual key " + keyId + " in this tenant");
        }
    }
}
