package com.agentcostcontrol.analytics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.analytics.Ledger;
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
 * to {@code acc:usage} and must land in {@code analytics_usage_calls} through the real consumer, each column equal to
 * its field.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_analytics"), @ResourceArg(name = "redisDb", value = "5") })
class UsageContractTest {

    @Inject
    Ledger ledger;
    @Inject
    RedisDataSource redis;
    @Inject
    DataSource dataSource;

    StreamCommands<String, String, String> streams;

    @BeforeEach
    void group() {
        streams = redis.stream(String.class, String.class, String.class);
        // The consumer creates it at start; another test may have flushed Redis since.
        try {
            streams.xgroupCreate(Ledger.STREAM, "analytics-service", "0", new XGroupCreateArgs().mkstream());
        } catch (RuntimeException e) {
            assertTrue(String.valueOf(e.getMessage()).contains("BUSYGROUP"), e.toString());
        }
    }

    @Test
    void everyGoldenEventLandsInTheLedgerFieldForField() throws SQLException {
        Map<String, Map<String, String>> sent = new LinkedHashMap<>();
        Map<String, String> streamIds = new LinkedHashMap<>();
        long at = Instant.parse("2026-03-01T10:15:30.250Z").toEpochMilli();
        UsageContract.all().forEach((name, golden) -> {
            Map<String, String> e = UsageContract.instantiate(golden, at, Map.of());
            sent.put(name, e);
            streamIds.put(name, streams.xadd(Ledger.STREAM, e));
        });
        for (var c : sent.entrySet()) {
            String requestId = c.getValue().get("request_id");
            Ledger.eventually(Ledger.WAIT, c.getKey() + " is stored (not dropped as poison)",
                    () -> ledger.rowsOfRequest(requestId) == 1);
        }
        List<String> problems = new ArrayList<>();
        for (var c : sent.entrySet()) {
            problems.addAll(compare(c.getKey(), c.getValue(), streamIds.get(c.getKey())));
        }
        assertEquals(List.of(), problems, "golden events stored wrongly");
    }

    @Test
    void goldenCostsAgreeToTheMicroDollar() {
        // cost_usd and cost_micros are two spellings of one amount; analytics sums cost_micros.
        UsageContract.all().forEach((name, e) -> {
            String usd = e.get("cost_usd");
            String micros = e.get("cost_micros");
            if (usd.isEmpty()) {
                assertEquals("", micros, name + ": no price means no cost in either field");
            } else {
                assertEquals(6, new BigDecimal(usd).scale(), name + ": cost_usd has 6 decimals");
                assertEquals(new BigDecimal(usd).movePointRight(6).longValueExact(), Long.parseLong(micros), name);
            }
        });
    }

    private List<String> compare(String name, Map<String, String> e, String streamId) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT * FROM analytics_usage_calls WHERE request_id = ?")) {
            q.setString(1, e.get("request_id"));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                for (String f : List.of("tenant_id", "key_id")) {
                    expect(problems, name, f, e.get(f).isEmpty() ? null : UUID.fromString(e.get(f)), rs.getObject(f));
                }
                for (String f : List.of("agent_id", "endpoint", "requested_model", "served_model", "provider", "deployment",
                        "deployment_id", "status", "error_code")) {
                    expect(problems, name, f, e.get(f).isEmpty() ? null : e.get(f), rs.getString(f));
                }
                for (String f : List.of("http_status", "attempts", "input_tokens", "cache_read_tokens",
                        "cache_write_5m_tokens", "cache_write_1h_tokens", "output_tokens", "reasoning_tokens", "latency_ms")) {
                    expect(problems, name, f, Long.parseLong(e.get(f)), rs.getLong(f));
                }
                for (String f : List.of("streamed", "tokens_estimated")) {
                    expect(problems, name, f, Boolean.parseBoolean(e.get(f)), rs.getBoolean(f));
                }
                expect(problems, name, "cost_micros", e.get("cost_micros").isEmpty() ? null : Long.parseLong(e.get("cost_micros")),
                        rs.getObject("cost_micros"));
                long ttft = Long.parseLong(e.get("ttft_ms"));
                expect(problems, name, "ttft_ms", ttft < 0 ? null : ttft, rs.getObject("ttft_ms"));
                expect(problems, name, "occurred_at", Instant.ofEpochMilli(Long.parseLong(e.get("ts"))),
                        rs.getTimestamp("occurred_at").toInstant());
                expect(problems, name, "stream_id", streamId, rs.getString("stream_id"));
            }
        }
        return problems;
    }

    private static void expect(List<String> problems, String name, String field, Object expected, Object actual) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            problems.add(name + "." + field + ": event says " + expected + ", ledger has " + actual);
        }
    }
}
