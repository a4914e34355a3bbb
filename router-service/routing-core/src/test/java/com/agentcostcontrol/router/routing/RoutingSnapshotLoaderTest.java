package com.agentcostcontrol.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import com.agentcostcontrol.migrations.Migrator;
import com.agentcostcontrol.router.pricing.Capability;

/**
 * {@link RoutingSnapshotLoader} on a real Postgres test database ({@code acc_test_routing} +
 * {@code ACC_TEST_DB_SUFFIX}) migrated with the shared history, V8 included.
 */
class RoutingSnapshotLoaderTest {

    private static final String TENANT_A = "7a1c0000-0000-4000-8000-00000000000a";
    private static final String TENANT_B = "7a1c0000-0000-4000-8000-00000000000b";
    private static String url;
    private static String user;
    private static String password;

    @BeforeAll
    static void migrate() {
        String host = env("ACC_TEST_PG_HOST", "127.0.0.1");
        String port = env("ACC_TEST_PG_PORT", "5432");
        user = env("ACC_TEST_PG_USER", "postgres");
        password = env("ACC_TEST_PG_PASSWORD", "");
        String database = "acc_test_routing" + env("ACC_TEST_DB_SUFFIX", "");
        String base = "jdbc:postgresql://" + host + ":" + port + "/";
        Migrator.createDatabaseIfMissing(base + "postgres", user, password, database);
        Migrator.cleanAndMigrate(base + database, user, password);
        url = base + database;
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    @BeforeEach
    void fill() throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM routing_rules; DELETE FROM routes; DELETE FROM deployments; DELETE FROM tenants");
            s.execute("INSERT INTO tenants (id, name) VALUES ('" + TENANT_A + "', 'a'), ('" + TENANT_B + "', 'b')");
            s.execute("""
                    INSERT INTO deployments (id, tenant_id, name, provider, model, base_url, api_key_ciphertext, weight, timeout_ms, enabled, created_at) VALUES
                    ('00000000-0000-4000-8000-000000000001', NULL, 'oa', 'openai', 'gpt-4o', NULL, 'sealed-1', 3, 30000, TRUE, '2025-01-01'),
                    ('00000000-0000-4000-8000-000000000002', NULL, 'an', 'anthropic', 'claude-sonnet-4-5', 'https://api.anthropic.com', NULL, 1, 60000, FALSE, '2025-01-02'),
                    ('00000000-0000-4000-8000-000000000003', '%s', 'oa', 'openai-compatible', 'llama-local', 'http://10.0.0.5:8000/v1', NULL, 1, 90000, TRUE, '2025-01-03')
                    """.formatted(TENANT_A));
            s.execute("""
                    INSERT INTO routes (id, tenant_id, model, strategy, deployments, fallbacks, created_at) VALUES
                    ('00000000-0000-4000-8000-000000000011', NULL, 'smart', 'weighted', ARRAY['oa','an'], ARRAY['mock-small'], '2025-01-01'),
                    ('00000000-0000-4000-8000-000000000012', '%s', 'smart', 'lowest-latency', ARRAY['oa','an'], ARRAY[]::text[], '2025-01-02')
                    """.formatted(TENANT_A));
            s.execute("""
                    INSERT INTO routing_rules (id, tenant_id, priority, description, enabled, match_model, match_task, match_capability,
                        match_max_cost_usd, action, action_model, action_strategy, action_capability, created_at) VALUES
                    ('00000000-0000-4000-8000-000000000021', NULL, 20, 'tests go cheap', TRUE, 'claude-*', 'test', NULL, NULL,
                        'route-to-model', 'mock-small', NULL, NULL, '2025-01-01'),
                    ('00000000-0000-4000-8000-000000000022', NULL, 10, NULL, TRUE, NULL, NULL, 'vision', 0.25,
                        'set-strategy', NULL, 'lowest-cost', NULL, '2025-01-02'),
                    ('00000000-0000-4000-8000-000000000023', '%s', 50, NULL, TRUE, NULL, 'review', NULL, NULL,
                        'require-capability', NULL, NULL, 'reasoning', '2025-01-03'),
                    ('00000000-0000-4000-8000-000000000024', NULL, 1, 'off', FALSE, NULL, NULL, NULL, NULL,
                        'route-to-model', 'x', NULL, NULL, '2025-01-04'),
                    ('00000000-0000-4000-8000-000000000025', NULL, 5, 'bad', TRUE, NULL, NULL, 'telepathy', NULL,
                        'route-to-model', 'x', NULL, NULL, '2025-01-05')
                    """.formatted(TENANT_A));
        }
    }

    @Test
    void loadsDeploymentsRoutesAndEnabledRulesPerOwner() throws Exception {
        RoutingSnapshotLoader.LoadResult result = new RoutingSnapshotLoader(dataSource()).load();
        assertEquals(List.of("routing_rules 00000000-0000-4000-8000-000000000025 skipped: unknown capability 'telepathy'"),
                result.rejected());
        RoutingSnapshot s = result.snapshot();
        assertEquals(3, s.deploymentCount());
        assertEquals(2, s.routeCount());
        assertEquals(3, s.ruleCount());

        Deployment oa = s.deploymentById("00000000-0000-4000-8000-000000000001").orElseThrow();
        assertEquals(new Deployment("00000000-0000-4000-8000-000000000001", null, "oa", "openai", "gpt-4o", null,
                "sealed-1", 3, 30_000, true), oa);
        assertFalse(oa.toString().contains("sealed"), "the credential never appears in toString");
        assertFalse(s.deploymentById("00000000-0000-4000-8000-000000000002").orElseThrow().enabled());

        Route operator = s.route(TENANT_B, "smart").orElseThrow();
        assertEquals(Strategy.WEIGHTED, operator.strategy());
        assertEquals(List.of("oa", "an"), operator.deployments());
        assertEquals(List.of("mock-small"), operator.fallbacks());
        Route own = s.route(TENANT_A, "smart").orElseThrow();
        assertEquals(Strategy.LOWEST_LATENCY, own.strategy());
        assertEquals(TENANT_A, own.tenantId());
        assertEquals(List.of(), own.fallbacks());
        // tenant A's "oa" is its own deployment; the operator route's "oa" is the operator's
        assertEquals("00000000-0000-4000-8000-000000000003", s.deploymentOf(own, "oa").orElseThrow().id());
        assertEquals("00000000-0000-4000-8000-000000000001", s.deploymentOf(operator, "oa").orElseThrow().id());
        assertEquals("00000000-0000-4000-8000-000000000002", s.deploymentOf(own, "an").orElseThrow().id());
        assertEquals(2, s.deployments(TENANT_B).size());
        assertEquals(3, s.deployments(TENANT_A).size());
        assertEquals(List.of(own), s.routes(TENANT_A));

        List<RoutingRule> rulesA = s.rules(TENANT_A);
        assertEquals(List.of("00000000-0000-4000-8000-000000000023", "00000000-0000-4000-8000-000000000022",
                "00000000-0000-4000-8000-000000000021"), rulesA.stream().map(RoutingRule::id).toList());
        RoutingRule vision = rulesA.get(1);
        assertNull(vision.tenantId());
        assertEquals(Capability.VISION, vision.capability());
        assertEquals(0, new BigDecimal("0.25").compareTo(vision.maxCostUsd()));
        assertEquals(Strategy.LOWEST_COST, vision.targetStrategy());
        RoutingRule cheapTests = rulesA.get(2);
        assertTrue(cheapTests.modelPattern().matches("Claude-Opus-4"));
        assertEquals(TaskType.TEST, cheapTests.taskType());
        assertEquals("tests go cheap", cheapTests.description());
        assertEquals(Capability.REASONING, rulesA.get(0).targetCapability());
        assertEquals(2, s.rules(TENANT_B).size());
    }

    @Test
    void aFailedReloadKeepsTheLastGoodSnapshot() {
        PGSimpleDataSource ds = dataSource();
        RoutingSnapshotHolder holder = new RoutingSnapshotHolder(new RoutingSnapshotLoader(ds));
        assertFalse(holder.hasSnapshot());
        assertEquals(0, holder.current().deploymentCount());

        RoutingSnapshotHolder.ReloadResult first = holder.reload();
        assertEquals(RoutingSnapshotHolder.Outcome.LOADED, first.outcome());
        assertEquals(3, first.deployments());
        assertEquals(1, first.rejected().size());
        RoutingSnapshot good = holder.current();

        ds.setURL("jdbc:postgresql://127.0.0.1:1/nowhere"); // nothing listens on port 1
        RoutingSnapshotHolder.ReloadResult failed = holder.reload();
        assertEquals(RoutingSnapshotHolder.Outcome.FAILED_KEPT_PREVIOUS, failed.outcome());
        assertTrue(failed.error().startsWith("cannot read the routing tables"), failed.error());
        assertEquals(3, failed.deployments());
        assertTrue(holder.current() == good, "the last good snapshot stays in use");
        assertTrue(holder.lastReload().orElseThrow() == failed);

        RoutingSnapshotHolder never = new RoutingSnapshotHolder(new RoutingSnapshotLoader(ds));
        assertEquals(RoutingSnapshotHolder.Outcome.FAILED_NO_SNAPSHOT, never.reload().outcome());
        assertEquals(0, never.current().deploymentCount());
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
