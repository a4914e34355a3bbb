package com.agentcostcontrol.budget.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.Fixtures;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.budget.core.BudgetKeys;
import com.agentcostcontrol.budget.core.BudgetUsage;
import com.agentcostcontrol.budget.core.Money;
import com.agentcostcontrol.budget.core.Reservation;
import com.agentcostcontrol.budget.core.ReserveOutcome;
import com.agentcostcontrol.budget.repository.LedgerRepository;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class UsageConsumerTest {

    private static final String STREAM = "acc:usage";
    private static final String GROUP = "budget-service";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    Fixtures fx;
    @Inject
    RedisDataSource redis;
    @Inject
    DataSource dataSource;
    @Inject
    LedgerRepository ledger;
    @Inject
    CounterSync sync;
    @Inject
    MeterRegistry metrics;
    @Inject
    UsageConsumer consumer;
    @Inject
    BudgetEngine engine;
    @Inject
    BudgetService budgets;

    StreamCommands<String, String, String> streams;

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
    void recordsEachRequestOnceAndSpentMatchesToTheMicroDollar() {
        UUID tenant = fx.tenant();
        UUID key = fx.key(tenant);
        String all = fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"monthly\",\"limitUsd\":\"100\"}");
        String planner = fx.budget(tenant, "{\"scope\":{\"type\":\"agent\",\"id\":\"planner-1\"},\"period\":\"monthly\",\"limitUsd\":\"100\"}");
        long now = System.currentTimeMillis();
        String a = requestId();
        String b = requestId();
        String c = requestId();
        String refused = requestId();
        streams.xadd(STREAM, event(a, now, tenant, key, "planner-1", "ok", "0.000337", 337));
        streams.xadd(STREAM, event(b, now, tenant, key, "", "ok", "1.000001", 1_000_001));
        streams.xadd(STREAM, event(a, now, tenant, key, "planner-1", "ok", "0.000337", 337)); // at-least-once replay
        streams.xadd(STREAM, event(c, now, tenant, key, "planner-1", "stream_error", "0.000042", 42));
        streams.xadd(STREAM, event(refused, now, tenant, key, "planner-1", "refused", "", -1));
        streams.xadd(STREAM, event(b, now, tenant, key, "", "ok", "1.000001", 1_000_001)); // replay

        Fixtures.eventually(WAIT, "all three priced calls are in the ledger", () -> rows(tenant) == 3 && pendingCount() == 0);
        assertEquals(1, rows(a));
        assertEquals(1, rows(b));
        assertEquals(1, rows(c));
        assertEquals(0, rows(refused), "an unpriced call charges nothing");
        assertEquals(337 + 1_000_001 + 42, ledger.sum(tenant, UUID.fromString(all), Instant.EPOCH, null));
        assertEquals(337 + 42, ledger.sum(tenant, UUID.fromString(planner), Instant.EPOCH, null), "only planner-1's calls");

        // Status reads the Redis counters, which are restored from the ledger (the proxy settles them live).
        sync.rebuildTenant(tenant);
        String spent = fx.admin(tenant).get("/v1/budgets/" + all + "/status").then().statusCode(200).extract().path("spentUsd");
        assertEquals("1.000380", spent);
        String plannerSpent = fx.admin(tenant).get("/v1/budgets/" + planner + "/status").then().statusCode(200)
                .extract().path("spentUsd");
        assertEquals("0.000379", plannerSpent);
        assertTrue(metrics.get("acc.budget.usage.consumed").tag("result", "duplicate").counter().count() >= 2);
        assertTrue(metrics.get("acc.budget.usage.consumed").tag("result", "recorded").counter().count() >= 3);
        assertTrue(metrics.get("acc.budget.usage.consumed").tag("result", "no_cost").counter().count() >= 1);
    }

    @Test
    void chargesTheBudgetsTheReservationHeldWhenTheEventNamesThem() {
        UUID tenant = fx.tenant();
        UUID key = fx.key(tenant);
        String all = fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"monthly\",\"limitUsd\":\"100\"}");
        String planner = fx.budget(tenant, "{\"scope\":{\"type\":\"agent\",\"id\":\"planner-1\"},\"period\":\"monthly\",\"limitUsd\":\"100\"}");
        // A budget the reservation held but that was deleted before the event was consumed: still charged.
        UUID deleted = UUID.randomUUID();
        long now = System.currentTimeMillis();
        String named = requestId();
        Map<String, String> withIds = event(named, now, tenant, key, "planner-1", "ok", "0.000500", 500);
        withIds.put("budget_ids", all + "," + deleted);
        String old = requestId();
        Map<String, String> withoutField = event(old, now, tenant, key, "planner-1", "ok", "0.000070", 70);
        withoutField.remove("budget_ids");
        String empty = requestId();
        Map<String, String> emptyIds = event(empty, now, tenant, key, "", "ok", "0.000003", 3);
        streams.xadd(STREAM, withIds);
        streams.xadd(STREAM, withoutField);
        streams.xadd(STREAM, emptyIds);

        Fixtures.eventually(WAIT, "the three events are in the ledger", () -> rows(tenant) == 3 && pendingCount() == 0);
        // named: exactly the reserved budgets (re-matching would have charged the planner budget instead of the deleted one);
        // no field (older proxy) or empty (no reservation): re-matched as before.
        assertEquals(500 + 70 + 3, ledger.sum(tenant, UUID.fromString(all), Instant.EPOCH, null));
        assertEquals(70, ledger.sum(tenant, UUID.fromString(planner), Instant.EPOCH, null));
        assertEquals(500, ledger.sum(tenant, deleted, Instant.EPOCH, null));
    }

    @Test
    void rebuildWaitsForUnconsumedEventsAndEndsExactToTheMicroDollar() throws Exception {
        UUID tenant = fx.tenant();
        UUID key = fx.key(tenant);
        String id = fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"monthly\",\"limitUsd\":\"10\"}");
        BudgetDefinition budget = budgets.find(UUID.fromString(id)).orElseThrow().definition();
        long now = System.currentTimeMillis();
        // Consumed already: in the ledger and, as the proxy settled them, in the counter.
        long consumed = 0;
        for (int i = 1; i <= 3; i++) {
            long cost = 100_003L * i + 7;
            settleLikeTheProxy(tenant, budget, key, cost, now);
            consumed += cost;
        }
        long settledSoFar = consumed;
        Fixtures.eventually(WAIT, "the first events are in the ledger",
                () -> ledger.sum(tenant, UUID.fromString(id), Instant.EPOCH, null) == settledSoFar);

        long unconsumed = 0;
        consumer.stop(null);
        try {
            // Settled on the counters, their events still in the stream: one held by a crashed consumer (pending),
            // two never delivered (lag).
            long held = 250_001;
            String heldRequest = requestId();
            engineSettle(tenant, budget, heldRequest, held, now);
            List<String> args = new ArrayList<>(List.of(STREAM, "*"));
            event(heldRequest, now, tenant, key, "", "ok", Money.formatUsd(held), held).forEach((k, v) -> {
                args.add(k);
                args.add(v);
            });
            redis.withConnection(conn -> {
                conn.execute("XADD", args.toArray(String[]::new));
                conn.execute("XREADGROUP", "GROUP", GROUP, "crashed-instance", "COUNT", "100", "STREAMS", STREAM, ">");
            });
            unconsumed += held;
            for (long cost : new long[] { 1_000_001, 42 }) {
                settleLikeTheProxy(tenant, budget, key, cost, now);
                unconsumed += cost;
            }
            long total = consumed + unconsumed;
            assertEquals(total, spent(tenant, budget), "the live counter has every call");
            assertTrue(pendingCount() >= 1);

            // Redis loses the counters (the stream survives): the rebuild must not settle for the ledger's partial sum.
            redis.key().del(BudgetKeys.counter(tenant.toString(), id, budget.windowAt(Instant.now())), BudgetKeys.synced(tenant.toString()));
            CompletableFuture<List<BudgetUsage>> rebuild = CompletableFuture.supplyAsync(() -> sync.rebuildTenant(tenant));
            Thread.sleep(1_500);
            assertFalse(rebuild.isDone(), "the rebuild waits while events are unconsumed");
            consumer.start(null);
            List<BudgetUsage> rebuilt = rebuild.get(30, TimeUnit.SECONDS);
            assertEquals(total, rebuilt.get(0).spentMicros(), "rebuilt counter, exact to the micro-dollar");
            assertEquals(total, spent(tenant, budget));
            assertEquals(total, ledger.sum(tenant, UUID.fromString(id), Instant.EPOCH, null), "each event once in the ledger");
            assertEquals(0, pendingCount());
        } finally {
            consumer.stop(null);
            consumer.start(null);
        }
    }

    /** What the proxy does for one call: reserve and settle on the counters, then append its usage event. */
    private void settleLikeTheProxy(UUID tenant, BudgetDefinition budget, UUID key, long cost, long at) throws Exception {
        String request = requestId();
        engineSettle(tenant, budget, request, cost, at);
        Map<String, String> e = event(request, at, tenant, key, "", "ok", Money.formatUsd(cost), cost);
        e.put("budget_ids", budget.id());
        streams.xadd(STREAM, e);
    }

    private void engineSettle(UUID tenant, BudgetDefinition budget, String request, long cost, long at) throws Exception {
        Reservation r = ((ReserveOutcome.Admitted) engine.reserve(tenant.toString(), request, cost, List.of(budget),
                Instant.ofEpochMilli(at)).toCompletableFuture().get(5, TimeUnit.SECONDS)).reservation();
        engine.settle(r, cost).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private long spent(UUID tenant, BudgetDefinition budget) throws Exception {
        return engine.status(tenant.toString(), List.of(budget), Instant.now()).toCompletableFuture().get(5, TimeUnit.SECONDS)
                .usages().get(0).spentMicros();
    }

    @Test
    void pendingAndLagAreGauges() {
        String request = requestId();
        UUID tenant = fx.tenant();
        streams.xadd(STREAM, event(request, System.currentTimeMillis(), tenant, null, "", "ok", "0.000001", 1));
        Fixtures.eventually(WAIT, "the event is consumed", () -> rows(request) == 1 && pendingCount() == 0);
        consumer.refreshGauges();
        assertEquals(0.0, metrics.get("acc.budget.usage.pending").gauge().value());
        assertEquals(0.0, metrics.get("acc.budget.usage.lag").gauge().value());
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("acc_budget_usage_lag "))
                .body(org.hamcrest.Matchers.containsString("acc_budget_usage_pending "))
                .body(org.hamcrest.Matchers.containsString("acc_budget_usage_consumed_total{result=\"recorded\"}"));
        // Readiness does not depend on the consumer.
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void malformedEventIsAcknowledgedAndCounted() {
        double before = metrics.get("acc.budget.usage.poison").counter().count();
        UUID tenant = fx.tenant();
        Map<String, String> bad = event(requestId(), System.currentTimeMillis(), tenant, null, "", "ok", "0.000100", 100);
        bad.put("ts", "yesterday");
        String id = streams.xadd(STREAM, bad);
        Fixtures.eventually(WAIT, "the malformed event is counted",
                () -> metrics.get("acc.budget.usage.poison").counter().count() == before + 1);
        Fixtures.eventually(WAIT, "the malformed event is acknowledged", () -> pendingIds(id).isEmpty());
        assertEquals(0, rows(tenant));
    }

    @Test
    void eventLeftPendingByACrashedConsumerIsClaimed() {
        UUID tenant = fx.tenant();
        String budget = fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"total\",\"limitUsd\":\"5\"}");
        String request = requestId();
        List<String> args = new ArrayList<>(List.of(STREAM, "*"));
        event(request, System.currentTimeMillis(), tenant, fx.key(tenant), "", "ok", "0.250000", 250_000)
                .forEach((k, v) -> {
                    args.add(k);
                    args.add(v);
                });
        // XADD and the crashed consumer's read in one transaction, so the live consumer cannot read it first.
        redis.withConnection(conn -> {
            conn.execute("MULTI");
            conn.execute("XADD", args.toArray(String[]::new));
            conn.execute("XREADGROUP", "GROUP", GROUP, "crashed-instance", "COUNT", "100", "STREAMS", STREAM, ">");
            conn.execute("EXEC");
        });
        var held = streams.xpending(STREAM, GROUP).getConsumers();
        assertTrue(held.getOrDefault("crashed-instance", 0L) >= 1, "delivered to the crashed consumer: " + held);
        consumer.refreshGauges();
        assertTrue(metrics.get("acc.budget.usage.pending").gauge().value() >= 1, "the pending gauge counts it");

        Fixtures.eventually(WAIT, "the stale event is claimed and recorded", () -> rows(request) == 1);
        Fixtures.eventually(WAIT, "and acknowledged", () -> pendingCount() == 0);
        assertEquals(250_000, ledger.sum(tenant, UUID.fromString(budget), Instant.EPOCH, null));
    }

    /** An event with exactly the proxy's fields ({@code UsageEvent.of}), in its order (contracts/usage-events pins them). */
    private static Map<String, String> event(String requestId, long ts, UUID tenant, UUID key, String agent, String status,
            String costUsd, long costMicros) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("v", "1");
        f.put("request_id", requestId);
        f.put("ts", Long.toString(ts));
        f.put("tenant_id", tenant.toString());
        f.put("key_id", key == null ? "" : key.toString());
        f.put("agent_id", agent);
        f.put("endpoint", "chat");
        f.put("requested_model", "gpt-4o-mini");
        f.put("served_model", "gpt-4o-mini");
        f.put("provider", "openai");
        f.put("deployment", "oa-east");
        f.put("deployment_id", UUID.randomUUID().toString());
        f.put("route_model", "gpt-4o-mini");
        f.put("planned_attempts", "1");
        f.put("status", status);
        f.put("http_status", "refused".equals(status) ? "402" : "200");
        f.put("error_code", "");
        f.put("streamed", "false");
        f.put("attempts", "1");
        f.put("fallbacks", "0");
        f.put("input_tokens", "86");
        f.put("cache_read_tokens", "1920");
        f.put("cache_write_5m_tokens", "0");
        f.put("cache_write_1h_tokens", "0");
        f.put("output_tokens", "300");
        f.put("reasoning_tokens", "0");
        f.put("total_input_tokens", "2006");
        f.put("tokens_estimated", "false");
        f.put("cost_usd", costUsd);
        f.put("cost_micros", costMicros < 0 ? "" : Long.toString(costMicros));
        f.put("latency_ms", "412");
        f.put("ttft_ms", "412");
        f.put("downgraded_to", "");
        f.put("downgrade_budget_id", "");
        f.put("budget_ids", "");
        f.put("security_action", "");
        f.put("security_detectors", "");
        return f;
    }

    private static String requestId() {
        return "req_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    private long pendingCount() {
        return streams.xpending(STREAM, GROUP).getPendingCount();
    }

    private List<?> pendingIds(String id) {
        return streams.xpending(STREAM, GROUP, StreamRange.of(id, id), 10);
    }

    private long rows(UUID tenant) {
        return count("SELECT count(*) FROM budget_ledger WHERE tenant_id = ?", tenant);
    }

    private long rows(String requestId) {
        return count("SELECT count(*) FROM budget_ledger WHERE request_id = ?", requestId);
    }

    private long count(String sql, Object arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, arg);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
