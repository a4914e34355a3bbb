package com.agentcostcontrol.proxy.llm.pipeline.filters;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;

import io.vertx.core.Future;

/**
 * Filter 8, {@code budget-reserve}: reserves the worst-case cost (the route plan's priciest attempt) through
 * {@link Hooks.BudgetGuard#reserve} (pass-through until the budget issue provides one; settled in
 * {@code settle}). Fail-closed: an unreachable budget store must not let spend run past a limit.
 */
@ApplicationScoped
public class BudgetReserveFilter implements CallFilter {

    private final Hooks.BudgetGuard budgets;

    public BudgetReserveFilter(Hooks.BudgetGuard budgets) {
        this.budgets = budgets;
    }

    @Override
    public String name() {
        return "budget-reserve";
    }

    @Override
    public boolean needsBody() {
        return true;
    }

    @Override
    public FailurePolicy onFailure() {
        return FailurePolicy.FAIL_CLOSED;
    }

    @Override
    public Future<Void> apply(LlmCall call) {
        return budgets.reserve(call).map(v -> {
            call.budgetReserved = true;
            return v;
        });
    }
}
