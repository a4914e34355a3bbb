package com.agentcostcontrol.analytics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.analytics.Ledger;
import com.agentcostcontrol.analytics.UsageEventBuilder;
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
        @ResourceArg(name = "db", value = "acc_test_analytics"), @ResourceArg(name = "redisDb", value = "5") })
class UsageConsumerTest {

    private static final String GROUP = "analytics-service";

    @Inject
    Ledger ledger;
    @Inject
    RedisDataSource redis;
    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry metrics;
    @Inject
    UsageConsumer consumer;

    StreamCommands<String, String, String> streams;

    @BeforeEach
    void group() {
        streams = redis.stream(String.class, String.class, String.class);
        // The consumer creates it at start; another test may have flushed Redis since.
        try {
            streams.xgroupCreate(Ledger.STREAM, GROUP, "0", new XGroupCreateArgs().mkstream());
        } catch (RuntimeException e) {
            assertTrue(String.valueOf(e.getMessage()).contains("BUSYGROUP"), e.toString());
        }
    }

    @Test
    void storesEveryFieldOfTheEvent() throws SQLException {
        UUID tenant = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        Instant at = Instant.parse("2026-02-10T08:30:00.123Z");
        UsageEventBuilder e = UsageEventBuilder.call(tenant).key(key).agent("planner-1")
                .served("claude-sonnet-4-5", "anthropic").tokens(86, 1920, 40, 2, 300).cost(337L).at(at);
        String streamId = ledger.xadd(e);
        Ledger.eventually(Ledger.WAIT, "the call is stored", () -> ledger.rowsOfRequest(e.requestId()) == 1);

        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT * FROM analytics_usage_calls WHERE request_id = ?")) {
            q.setString(1, e.requestId());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertEquals(tenant, rs.getObject("tenant_id"));
                assertEquals(key, rs.getObject("key_id"));
                assertEquals("planner-1", rs.getString("agent_id"));
                assertEquals("chat", rs.getString("endpoint"));
                assertEquals("claude-sonnet-4-5", rs.getString("requested_model"));
                assertEquals("claude-sonnet-4-5", rs.getString("served_model"));
                assertEquals("anthropic", rs.getString("provider"));
                assertEquals("anthropic-dep", rs.getString("deployment"));
                assertEquals("builtin:anthropic:claude-sonnet-4-5", rs.getString("deployment_id")); // a built-in routing id
                assertEquals("ok", rs.getString("status"));
                assertEquals(200, rs.getInt("http_status"));
                assertNull(rs.getString("error_code"));
                assertEquals(86, rs.getLong("input_tokens"));
                assertEquals(1920, rs.getLong("cache_read_tokens"));
                assertEquals(40, rs.getLong("cache_write_5m_tokens"));
                assertEquals(2, rs.getLong("cache_write_1h_tokens"));
                assertEquals(300, rs.getLong("output_tokens"));
                assertEquals(337, rs.getLong("cost_micros"));
                assertEquals(412, rs.getLong("latency_ms"));
                assertEquals(412, rs.getLong("ttft_ms"));
                assertEquals(at, rs.getTimestamp("occurred_at").toInstant());
                assertEquals(streamId, rs.getString("stream_id"));
            }
        }
    }

    @Test
    void aCallRefusedBeforeItsKeyWasKnownIsStoredWithoutTenant() throws SQLException {
        UsageEventBuilder e = UsageEventBuilder.call(null).key(null).refused("gpt-4o", 401, "invalid_api_key");
        ledger.xadd(e);
        Ledger.eventually(Ledger.WAIT, "the call is stored", () -> ledger.rowsOfRequest(e.requestId()) == 1);
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT tenant_id, cost_micros, ttft_ms, status, error_code FROM analytics_usage_calls "
                        + "WHERE request_id = ?")) {
            q.setString(1, e.requestId());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertNull(rs.getObject("tenant_id"));
                assertNull(rs.getObject("cost_micros"), "no price: NULL, not 0");
                assertNull(rs.getObject("ttft_ms"), "-1 in the event: no token relayed");
                assertEquals("refused", rs.getString("status"));
                assertEquals("invalid_api_key", rs.getString("error_code"));
            }
        }
    }

    @Test
    void recordedCallsFeedTheTrafficCounters() {
        double calls = count("acc.analytics.calls", "provider", "mock", "status", "ok");
        double cost = count("acc.analytics.cost.micros", "provider", "mock", null, null);
        UsageEventBuilder e = UsageEventBuilder.call(UUID.randomUUID()).served("mock-large", "mock").cost(1_500L);
        ledger.xadd(e);
        ledger.xadd(e); // a duplicate does not count twice
        Ledger.eventually(Ledger.WAIT, "the call is counted",
                () -> count("acc.analytics.calls", "provider", "mock", "status", "ok") == calls + 1);
        Ledger.eventually(Ledger.WAIT, "its cost is counted",
                () -> count("acc.analytics.cost.micros", "provider", "mock", null, null) == cost + 1_500);
        Ledger.eventually(Ledger.WAIT, "both deliveries are acknowledged", () -> pendingCount() == 0);
        assertEquals(calls + 1, count("acc.analytics.calls", "provider", "mock", "status", "ok"));
    }

    @Test
    void malformedEventsAreAcknowledgedAndCounted() {
        double before = metrics.get("acc.analytics.usage.poison").counter().count();
        UUID tenant = UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        Map<String, String> badTs = UsageEventBuilder.call(tenant).fields();
        badTs.put("ts", "yesterday");
        ids.add(streams.xadd(Ledger.STREAM, badTs));
        Map<String, String> badVersion = UsageEventBuilder.call(tenant).fields();
        badVersion.put("v", "2");
        ids.add(streams.xadd(Ledger.STREAM, badVersion));
        Map<String, String> negativeTokens = UsageEventBuilder.call(tenant).fields();
        negativeTokens.put("output_tokens", "-5");
        ids.add(streams.xadd(Ledger.STREAM, negativeTokens));
        Map<String, String> nul = UsageEventBuilder.call(tenant).fields();
        nul.put("agent_id", "a\u0000b");
        ids.add(streams.xadd(Ledger.STREAM, nul));

        Ledger.eventually(Ledger.WAIT, "the four malformed events are counted",
                () -> metrics.get("acc.analytics.usage.poison").counter().count() == before + 4);
        Ledger.eventually(Ledger.WAIT, "and acknowledged", () -> pendingCount() == 0);
        assertEquals(0, ledger.rowsOfTenant(tenant));
        // A good event after them still flows.
        UsageEventBuilder good = UsageEventBuilder.call(tenant);
        ledger.xadd(good);
        Ledger.eventually(Ledger.WAIT, "the good event is stored", () -> ledger.rowsOfTenant(tenant) == 1);
    }

    @Test
    void eventLeftPendingByACrashedConsumerIsClaimed() {
        UsageEventBuilder e = UsageEventBuilder.call(UUID.randomUUID()).cost(250_000L);
        List<String> args = new ArrayList<>(List.of(Ledger.STREAM, "*"));
        e.fields().forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        // XADD and the crashed consumer's read in one transaction, so the live consumer cannot read it first.
        redis.withConnection(conn -> {
            conn.execute("MULTI");
            conn.execute("XADD", args.toArray(String[]::new));
            conn.execute("XREADGROUP", "GROUP", GROUP, "crashed-instance", "COUNT", "100", "STREAMS", Ledger.STREAM,
                    ">");
            conn.execute("EXEC");
        });
        var held = streams.xpending(Ledger.STREAM, GROUP).getConsumers();
        assertTrue(held.getOrDefault("crashed-instance", 0L) >= 1, "delivered to the crashed consumer: " + held);
        consumer.refreshGauges();
        assertTrue(metrics.get("acc.analytics.usage.pending").gauge().value() >= 1, "the pending gauge counts it");

        Ledger.eventually(Ledger.WAIT, "the stale event is claimed and stored",
                () -> ledger.rowsOfRequest(e.requestId()) == 1);
        Ledger.eventually(Ledger.WAIT, "and acknowledged", () -> pendingCount() == 0);
        consumer.refreshGauges();
        assertEquals(0.0, metrics.get("acc.analytics.usage.lag").gauge().value());
    }

    @Test
    void ownGroupReadsEventsAlreadyConsumedByAnotherService() {
        // budget-service's group acknowledging an event does not hide it from analytics.
        try {
            streams.xgroupCreate(Ledger.STREAM, "budget-service", "$", new XGroupCreateArgs().mkstream());
        } catch (RuntimeException ignored) {
            // exists
        }
        UsageEventBuilder e = UsageEventBuilder.call(UUID.randomUUID());
        String id = ledger.xadd(e);
        streams.xreadgroup("budget-service", "budget-1", Ledger.STREAM, ">");
        streams.xack(Ledger.STREAM, "budget-service", id);
        Ledger.eventually(Ledger.WAIT, "analytics stores it too", () -> ledger.rowsOfRequest(e.requestId()) == 1);
        assertTrue(streams.xrange(Ledger.STREAM, StreamRange.of(id, id)).size() == 1);
    }

    private long pendingCount() {
        return streams.xpending(Ledger.STREAM, GROUP).getPendingCount();
    }

    private double count(String name, String tag1, String value1, String tag2, String value2) {
        var search = metrics.find(name).tag(tag1, value1);
        if (tag2 != null) {
            search = search.tag(tag2, value2);
        }
        var counter = search.counter();
        return counter == null ? 0 : counter.count();
    }
}
