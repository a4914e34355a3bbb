package com.agentcostcontrol.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;

/** Test access to the stream and the ledger table, straight to Redis and Postgres. */
@ApplicationScoped
public class Ledger {

    public static final String STREAM = "acc:usage";
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final DataSource dataSource;
    private final StreamCommands<String, String, String> streams;

    public Ledger(DataSource dataSource, RedisDataSource redis) {
        this.dataSource = dataSource;
        this.streams = redis.stream(String.class, String.class, String.class);
    }

    /** XADDs the event as the proxy does; answers the stream id. */
    public String xadd(UsageEventBuilder event) {
        return streams.xadd(STREAM, event.fields());
    }

    public long rowsOfTenant(UUID tenant) {
        return count("SELECT COUNT(*) FROM analytics_usage_calls WHERE tenant_id = ?", tenant);
    }

    public long rowsOfRequest(String requestId) {
        return count("SELECT COUNT(*) FROM analytics_usage_calls WHERE request_id = ?", requestId);
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

    public static void eventually(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }
}
