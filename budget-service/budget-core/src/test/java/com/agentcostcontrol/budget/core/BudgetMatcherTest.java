package com.agentcostcontrol.budget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class BudgetMatcherTest {

    private final String t1 = TestRedis.newTenant();
    private final String t2 = TestRedis.newTenant();
    private final BudgetDefinition tenant = TestRedis.budget(t1, BudgetScope.tenant(), BudgetPeriod.MONTHLY, 100, BudgetMode.HARD);
    private final BudgetDefinition key = TestRedis.budget(t1, BudgetScope.key("k1"), BudgetPeriod.DAILY, 10, BudgetMode.HARD);
    private final BudgetDefinition agent = TestRedis.budget(t1, BudgetScope.agent("planner"), BudgetPeriod.DAILY, 10, BudgetMode.SOFT);
    private final BudgetDefinition model = TestRedis.budget(t1, BudgetScope.model("gpt-4o"), BudgetPeriod.WEEKLY, 10, BudgetMode.HARD);
    private final BudgetDefinition keyModel = TestRedis.budget(t1, BudgetScope.keyAndModel("k2", "gpt-4o"), BudgetPeriod.TOTAL, 10, BudgetMode.HARD);
    private final BudgetDefinition otherTenant = TestRedis.budget(t2, BudgetScope.tenant(), BudgetPeriod.MONTHLY, 100, BudgetMode.HARD);
    private final BudgetMatcher matcher = new BudgetMatcher(List.of(tenant, key, agent, model, keyModel, otherTenant));

    @Test
    void matchesEveryScopeThatCountsTheCall() {
        assertEquals(ids(tenant, key, agent, model), ids(matcher.match(new CallContext(t1, "k1", "planner", "gpt-4o"))));
        assertEquals(ids(tenant, model, keyModel), ids(matcher.match(new CallContext(t1, "k2", null, "gpt-4o"))));
        assertEquals(ids(tenant), ids(matcher.match(new CallContext(t1, "k2", "writer", "claude-sonnet-4"))));
        assertEquals(ids(tenant, key), ids(matcher.match(new CallContext(t1, "k1", null, null))));
    }

    @Test
    void neverMatchesAnotherTenantsBudgets() {
        assertEquals(ids(otherTenant), ids(matcher.match(new CallContext(t2, "k1", "planner", "gpt-4o"))));
        assertEquals(Set.of(), ids(matcher.match(new CallContext(TestRedis.newTenant(), "k1", null, "gpt-4o"))));
        assertEquals(6, matcher.size());
    }

    private static Set<String> ids(BudgetDefinition... budgets) {
        return java.util.Arrays.stream(budgets).map(BudgetDefinition::id).collect(Collectors.toSet());
    }

    private static Set<String> ids(List<BudgetDefinition> budgets) {
        return budgets.stream().map(BudgetDefinition::id).collect(Collectors.toSet());
    }
}
