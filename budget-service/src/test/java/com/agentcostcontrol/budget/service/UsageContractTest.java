package com.agentcostcontrol.budget.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.Fixtures;
import com.agentcostcontrol.budget.repository.LedgerRepository;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.agentcostcontrol.testing.UsageContract;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Consumer side of the usage-event contract (docs/USAGE-EVENTS.md, "Changing the event"): every golden event in
 * {@code contracts/usage-events/} — what proxy-service's {@code UsageContractTest} proves the proxy writes — is appended
 * to {@code acc:usage} for a real tenant and must be charged (or not) by the real consumer: one {@code budget_ledger}
 * row per priced call of a known tenant, to the micro-dollar, on the budgets the event names (else the tenant's
 * matching budgets); none for unpriced or keyless calls.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class UsageContractTest {

    private static final String STREAM = "acc:usage";
    private static final String GROUP = "budget-service";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String MONTHLY = "{\"scope\":{\"type\":\"tenant\"},\"period\":\"monthly\",\"limitUsd\":\"100\"}";

    @Inject
    Fixtures fx;
    @Inject
    RedisDataSource redis;
    @Inject
    DataSource dataSource;
    @Inject
    LedgerRepository ledger;

    StreamCommands<String, String, String> streams;

    /** One golden event as sent, and what the ledger must then hold for it. */
    record Case(String name, Map<String, String> event, UUID tenant, Set<UUID> chargedBudgets) {
    }

    @BeforeEach
    void group() {
        streams = redis.stream(String.class, String.class, String.class);
        // The consumer creates it at start; another test may have flushed Redis since.
        try {
            streams.xgroupCreate(STREAM, GROUP, "0", new XGroupCreateArgs().mkstream());
        } catch (RuntimeException e) {
            assertTrue(String.valueOf(e.getMessage()).contains("BUSYGROUP"), e.toString());
        }
    }

    @Test
    void everyGoldenEventIsChargedToTheMicroDollarOrNotAtAll() throws SQLException {
        long now = System.currentTimeMillis();
        List<Case> cases = new ArrayList<>();
        for (var g : UsageContract.all().entrySet()) {
            Map<String, String> golden = g.getValue();
            Map<String, String> overrides = new HashMap<>();
            UUID tenant = null;
            Set<UUID> charged = Set.of();
            if (!golden.get("tenant_id").isEmpty()) {
                tenant = fx.tenant();
                overrides.put("tenant_id", tenant.toString());
                if (!golden.get("key_id").isEmpty()) {
                    overrides.put("key_id", fx.key(tenant).toString());
                }
                // The tenant's own budget: charged by re-matching when the event names none.
                UUID matched = UUID.fromString(fx.budget(tenant, MONTHLY));
                charged = Set.of(matched);
                if (!golden.get("budget_ids").isEmpty()) {
                    // The event names the budgets its reservation held: exactly those are charged, not the matched one.
                    List<String> held = new ArrayList<>();
                    for (int i = 0; i < golden.get("budget_ids").split(",").length; i++) {
                        held.add(fx.budget(tenant, MONTHLY));
                    }
                    overrides.put("budget_ids", String.join(",", held));
                    charged = new TreeSet<>(held.stream().map(UUID::fromString).toList());
                }
            }
            Map<String, String> e = UsageContract.instantiate(golden, now, overrides);
            boolean priced = !e.get("cost_micros").isEmpty() && Long.parseLong(e.get("cost_micros")) > 0;
            cases.add(new Case(g.getKey(), e, tenant, tenant != null && priced ? charged : Set.of()));
            streams.xadd(STREAM, e);
        }
        // A last priced call: once it is recorded and nothing is pending, every event before it was consumed.
        UUID sentinelTenant = fx.tenant();
        fx.budget(sentinelTenant, MONTHLY);
        Map<String, String> sentinel = UsageContract.instantiate(UsageContract.golden("chat-ok"), now,
                Map.of("tenant_id", sentinelTenant.toString(), "key_id", fx.key(sentinelTenant).toString()));
        streams.xadd(STREAM, sentinel);
        Fixtures.eventually(WAIT, "every golden event is consumed",
                () -> rows(sentinel.get("request_id")).size() == 1 && streams.xpending(STREAM, GROUP).getPendingCount() == 0);

        List<String> problems = new ArrayList<>();
        int chargedCases = 0;
        for (Case c : cases) {
            List<Map<String, Object>> rows = rows(c.event().get("request_id"));
            if (c.chargedBudgets().isEmpty()) {
                if (!rows.isEmpty()) {
                    problems.add(c.name() + ": an unpriced or keyless call must charge nothing, ledger has " + rows);
                }
                continue;
            }
            chargedCases++;
            if (rows.size() != 1) {
                problems.add(c.name() + ": expected one ledger row, found " + rows.size());
                continue;
            }
            Map<String, Object> row = rows.get(0);
            long cost = Long.parseLong(c.event().get("cost_micros"));
            expect(problems, c.name(), "tenant_id", c.tenant(), row.get("tenant_id"));
            expect(problems, c.name(), "key_id", UUID.fromString(c.event().get("key_id")), row.get("key_id"));
            expect(problems, c.name(), "agent_id", c.event().get("agent_id"), row.get("agent_id"));
            expect(problems, c.name(), "model", c.event().get("requested_model"), row.get("model"));
            expect(problems, c.name(), "cost_micros", cost, row.get("cost_micros"));
            expect(problems, c.name(), "occurred_at", Instant.ofEpochMilli(now), row.get("occurred_at"));
            expect(problems, c.name(), "budget_ids", c.chargedBudgets(), row.get("budget_ids"));
            for (UUID b : c.chargedBudgets()) {
                expect(problems, c.name(), "spent of budget " + b, cost, ledger.sum(c.tenant(), b, Instant.EPOCH, null));
            }
        }
        assertEquals(List.of(), problems, "golden events charged wrongly");
        assertTrue(chargedCases >= 5, "the golden set has priced calls of known tenants: " + chargedCases);
        assertTrue(cases.stream().anyMatch(c -> !c.event().get("budget_ids").isEmpty() && !c.chargedBudgets().isEmpty()),
                "the golden set has a call that names its budgets");
    }

    private List<Map<String, Object>> rows(String requestId) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT tenant_id, key_id, agent_id, model, cost_micros, occurred_at, budget_ids FROM budget_ledger "
                        + "WHERE request_id = ?")) {
            q.setString(1, requestId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("tenant_id", rs.getObject("tenant_id"));
                    row.put("key_id", rs.getObject("key_id"));
                    row.put("agent_id", rs.getString("agent_id"));
                    row.put("model", rs.getString("model"));
                    row.put("cost_micros", rs.getLong("cost_micros"));
                    row.put("occurred_at", rs.getTimestamp("occurred_at").toInstant());
                    row.put("budget_ids", new TreeSet<>(Arrays.asList((UUID[]) rs.getArray("budget_ids").getArray())));
                    rows.add(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static void expect(List<String> problems, String name, String field, Object expected, Object actual) {
        Object e = expected instanceof Set<?> s ? new TreeSet<>(s) : expected;
        if (e == null ? actual != null : !e.equals(actual)) {
            problems.add(name + "." + field + ": event says " + e + ", ledger has " + actual);
        }
    }
}
