package com.agentcostcontrol.budget.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of budget definitions, indexed by tenant, answering which budgets apply to
 * a call. The proxy builds a new one when definitions change and swaps it in atomically.
 */
public final class BudgetMatcher {

    private static final BudgetMatcher EMPTY = new BudgetMatcher(List.of());

    private final Map<String, List<BudgetDefinition>> byTenant;
    private final int size;

    public BudgetMatcher(Collection<BudgetDefinition> definitions) {
        Map<String, List<BudgetDefinition>> index = new HashMap<>();
        for (BudgetDefinition d : definitions) {
            index.computeIfAbsent(d.tenantId(), t -> new ArrayList<>()).add(d);
        }
        // A stable order (by id) keeps script keys, and so refusals among equals, deterministic.
        index.replaceAll((tenant, list) -> list.stream().sorted(Comparator.comparing(BudgetDefinition::id)).toList());
        this.byTenant = Map.copyOf(index);
        this.size = definitions.size();
    }

    public static BudgetMatcher empty() {
        return EMPTY;
    }

    /** Every budget of the call's tenant whose scope counts this call (tenant, key, agent, model, key+model). */
    public List<BudgetDefinition> match(CallContext call) {
        List<BudgetDefinition> candidates = byTenant.getOrDefault(call.tenantId(), List.of());
        List<BudgetDefinition> out = new ArrayList<>(candidates.size());
        for (BudgetDefinition d : candidates) {
            if (d.scope().matches(call)) {
                out.add(d);
            }
        }
        return out;
    }

    public List<BudgetDefinition> forTenant(String tenantId) {
        return byTenant.getOrDefault(tenantId, List.of());
    }

    public int size() {
        return size;
    }
}
