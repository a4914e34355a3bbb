package com.agentcostcontrol.budget.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.Fixtures;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetDefinitionReader;
import com.agentcostcontrol.budget.core.BudgetMatcher;
import com.agentcostcontrol.budget.core.BudgetMode;
import com.agentcostcontrol.budget.core.BudgetPeriod;
import com.agentcostcontrol.budget.core.CallContext;
import com.agentcostcontrol.budget.core.ScopeType;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The proxy's view: definitions written through the API, read back with the shared JDBC reader and matched. */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class DefinitionSnapshotTest {

    @Inject
    Fixtures fx;
    @Inject
    DataSource dataSource;

    @Test
    void definitionsWrittenByTheApiMatchCallsInTheProxysSnapshot() throws Exception {
        UUID tenant = fx.tenant();
        UUID key = fx.key(tenant);
        String whole = fx.budget(tenant, """
                {"scope": {"type": "tenant"}, "period": "monthly", "limitUsd": "100", "alertThresholds": [90, 50],
                 "timezone": "Asia/Tokyo"}""");
        String keyModel = fx.budget(tenant, "{\"scope\":{\"type\":\"key+model\",\"id\":\"" + key + "\",\"model\":\"gpt-4o\"},"
                + "\"period\":\"daily\",\"limitUsd\":\"0.000001\",\"mode\":\"soft\"}");
        String agent = fx.budget(tenant, "{\"scope\":{\"type\":\"agent\",\"id\":\"planner\"},\"period\":\"weekly\",\"limitUsd\":\"3\"}");

        List<BudgetDefinition> loaded;
        try (Connection c = dataSource.getConnection()) {
            loaded = BudgetDefinitionReader.ofTenant(c, tenant);
            assertEquals(3, loaded.size());
            assertEquals(true, BudgetDefinitionReader.all(c).containsAll(loaded));
        }
        BudgetDefinition w = loaded.stream().filter(d -> d.id().equals(whole)).findFirst().orElseThrow();
        assertEquals(ScopeType.TENANT, w.scope().type());
        assertEquals(BudgetPeriod.MONTHLY, w.period());
        assertEquals(100_000_000, w.limitMicros());
        assertEquals(BudgetMode.HARD, w.mode());
        assertEquals(List.of(50, 90), w.alertThresholds());
        assertEquals(ZoneId.of("Asia/Tokyo"), w.zone());
        BudgetDefinition km = loaded.stream().filter(d -> d.id().equals(keyModel)).findFirst().orElseThrow();
        assertEquals(1, km.limitMicros());
        assertEquals("gpt-4o", km.scope().model());

        BudgetMatcher matcher = new BudgetMatcher(loaded);
        assertEquals(Set.of(whole, keyModel, agent), ids(matcher.match(new CallContext(tenant.toString(), key.toString(), "planner", "gpt-4o"))));
        assertEquals(Set.of(whole), ids(matcher.match(new CallContext(tenant.toString(), key.toString(), null, "gpt-4o-mini"))));
    }

    private static Set<String> ids(List<BudgetDefinition> defs) {
        return defs.stream().map(BudgetDefinition::id).collect(Collectors.toSet());
    }
}
