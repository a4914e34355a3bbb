package com.agentcostcontrol.proxy.llm.budget;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.pipeline.filters.RouteFilter;
import com.fasterxml.jackson.databind.node.TextNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;

/**
 * Budgets' downgrade policies on the hot path (docs/BUDGETS.md §1a): which limits the asked-for model is
 * tried against first, and switching a call to a budget's cheaper model (then re-planned by {@code route},
 * whichever side of {@code budget-reserve} that filter runs) or back. {@link BudgetGuardService} decides
 * when; this class only changes the call.
 */
@ApplicationScoped
public class BudgetDowngrades {

    private final RouteFilter route;
    private final MeterRegistry metrics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public BudgetDowngrades(RouteFilter route, MeterRegistry metrics) {
        this.route = route;
        this.metrics = metrics;
    }

    static boolean anyPolicy(List<BudgetDefinition> budgets) {
        for (BudgetDefinition b : budgets) {
            if (b.downgrade() != null) {
                return true;
            }
        }
        return false;
    }

    /** The budgets as the asked-for model is judged: a budget with a policy counts as hard at its threshold. */
    static List<BudgetDefinition> atThresholds(List<BudgetDefinition> budgets) {
        return budgets.stream().map(BudgetDefinition::atDowngradeThreshold).toList();
    }

    /** The budget of {@code budgets} with this id (the engine names a refusing budget by the definition it was given). */
    static BudgetDefinition byId(List<BudgetDefinition> budgets, String id) {
        for (BudgetDefinition b : budgets) {
            if (b.id().equals(id)) {
                return b;
            }
        }
        throw new IllegalStateException("the refusing budget " + id + " is not among the call's budgets");
    }

    /**
     * Switches the call to {@code budget}'s downgrade model and re-plans it. Succeeds with {@code false}, the
     * call unchanged, when that is not possible: the call already asks for that model, the key may not use it,
     * or nothing serves it.
     */
    Future<Boolean> switchTo(LlmCall call, BudgetDefinition budget) {
        String model = budget.downgrade().model();
        if (model.equals(call.requestedModel) || !call.key.allowsModel(model)) {
            return Future.succeededFuture(false);
        }
        String asked = call.requestedModel;
        call.downgradedFrom = asked;
        call.downgradeBudgetId = budget.id();
        call.requestedModel = model;
        if (call.body != null) {
            call.body.set("model", TextNode.valueOf(model));
        }
        return replan(call).transform(ar -> {
            if (ar.succeeded()) {
                return Future.succeededFuture(true);
            }
            // The downgrade model has no route or deployment here: the call stays as it was asked (a failed
            // plan leaves the call's plan as it was).
            return restore(call, asked, false).map(false);
        });
    }

    /** Undoes {@link #switchTo}: the call asks for its own model again and is planned for it. */
    Future<Void> revert(LlmCall call) {
        if (call.downgradedFrom == null) {
            return Future.succeededFuture();
        }
        return restore(call, call.downgradedFrom, true);
    }

    private Future<Void> restore(LlmCall call, String asked, boolean replan) {
        call.requestedModel = asked;
        call.downgradedFrom = null;
        call.downgradeBudgetId = null;
        if (call.body != null) {
            call.body.set("model", TextNode.valueOf(asked));
        }
        // It was planned before (route ran), so planning it again succeeds; if route runs after budget-reserve
        // it plans the call again anyway.
        return replan ? replan(call).otherwiseEmpty() : Future.succeededFuture();
    }

    private Future<Void> replan(LlmCall call) {
        try {
            return route.apply(call);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** Counts a downgrade that got its reservation: {@code acc_budget_downgrades_total{budget_id, tenant_id}}. */
    void count(LlmCall call) {
        String budgetId = call.downgradeBudgetId;
        String tenant = call.key.tenantId().toString();
        counters.computeIfAbsent(budgetId, id -> Counter.builder("acc.budget.downgrades")
                .description("LLM calls served by a budget's cheaper downgrade model instead of the model asked for")
                .tag("budget_id", id)
                .tag("tenant_id", tenant)
                .register(metrics)).increment();
    }
}
