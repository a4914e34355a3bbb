package com.agentcostcontrol.budget.service;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.SettledCall;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetKeys;
import com.agentcostcontrol.budget.core.Money;
import com.agentcostcontrol.budget.core.PeriodWindow;
import com.agentcostcontrol.budget.repository.AlertRepository;
import com.agentcostcontrol.budget.repository.BudgetRepository;
import com.agentcostcontrol.budget.repository.LedgerRepository;

/**
 * Records settled calls in {@code budget_ledger} (the truth the Redis counters are rebuilt from) and fires
 * threshold alerts. The proxy settles Redis on the hot path; the usage-event consumer calls
 * {@link #recordSettled} afterwards, as often as it likes: one row per request id.
 */
@ApplicationScoped
public class LedgerService {

    private static final Logger LOG = Logger.getLogger(LedgerService.class);

    private final LedgerRepository ledger;
    private final BudgetRepository budgets;
    private final AlertRepository alerts;
    private final Event<ThresholdReached> thresholdReached;

    public LedgerService(LedgerRepository ledger, BudgetRepository budgets, AlertRepository alerts,
            Event<ThresholdReached> thresholdReached) {
        this.ledger = ledger;
        this.budgets = budgets;
        this.alerts = alerts;
        this.thresholdReached = thresholdReached;
    }

    /** {@link #recordSettled(SettledCall)} without key, agent and model. */
    public boolean recordSettled(String requestId, UUID tenantId, List<UUID> budgetIds, long costMicros, Instant at) {
        return recordSettled(new SettledCall(requestId, tenantId, budgetIds, null, null, null, costMicros, at));
    }

    /**
     * Records one settled call; answers false (and changes nothing) when its request id is already
     * recorded. Fires each alert threshold of the charged budgets that the period's ledger total has
     * reached, once per period, in this transaction: the alert row, and its webhook delivery when the tenant has
     * a webhook, commit together with the ledger row or not at all.
     */
    @Transactional
    public boolean recordSettled(SettledCall call) {
        BudgetKeys.checkId("request id", call.requestId());
        Objects.requireNonNull(call.tenantId(), "tenantId");
        Objects.requireNonNull(call.at(), "at");
        Money.checkAmount("cost", call.costMicros());
        if (!ledger.insert(call)) {
            return false;
        }
        // Sorted: concurrent calls lock shared budgets in the same order, so they cannot deadlock.
        for (UUID budgetId : new TreeSet<>(call.budgetIds())) {
            budgets.find(budgetId)
                    .filter(b -> b.tenantId().equals(call.tenantId()))
                    .filter(b -> !b.definition().alertThresholds().isEmpty())
                    .ifPresent(b -> {
                        alerts.lockBudget(budgetId);
                        checkThresholds(b, call.at());
                    });
        }
        return true;
    }

    private void checkThresholds(Budget budget, Instant at) {
        BudgetDefinition d = budget.definition();
        PeriodWindow w = d.windowAt(at);
        long spent = ledger.sum(budget.tenantId(), budget.id(), w.start(), w.end());
        if (spent <= 0) {
            return;
        }
        for (int threshold : d.alertThresholds()) {
            // spent/limit >= threshold/100, in integers (no overflow: both sides stay below 2^63).
            if (spent * 100 >= d.limitMicros() * threshold
                    && alerts.fireOnce(budget.id(), budget.tenantId(), w.start(), threshold, spent, d.limitMicros())) {
                LOG.infof("budget %s of tenant %s reached %d%% of its limit (%s of %s USD)", d.id(), d.tenantId(),
                        threshold, Money.formatUsd(spent), Money.formatUsd(d.limitMicros()));
                // Observers enqueue the webhook delivery in this transaction (see AlertNotifier).
                thresholdReached.fire(new ThresholdReached(budget, w, threshold, spent, Instant.now()));
            }
        }
    }
}
