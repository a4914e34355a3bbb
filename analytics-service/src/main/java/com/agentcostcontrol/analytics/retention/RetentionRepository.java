package com.agentcostcontrol.analytics.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Deletes expired rows of {@code analytics_usage_calls} and {@code analytics_usage_daily} in bounded batches, under
 * a Postgres advisory lock so only one analytics-service instance deletes at a time.
 */
@ApplicationScoped
public class RetentionRepository {

    /** The session advisory lock key of the retention job (any constant unique in the database; "ACCRETN1"). */
    public static final long LOCK_KEY = 0x4143435245544E31L;

    /**
     * One batch of expired calls, oldest first, through the {@code occurred_at} index (V14). Each statement is its own
     * short transaction (autocommit), so a busy ledger never waits on a long delete.
     */
    private static final String DELETE_CALLS = "DELETE FROM analytics_usage_calls WHERE request_id IN ("
            + "SELECT request_id FROM analytics_usage_calls WHERE occurred_at < ? ORDER BY occurred_at LIMIT ?)";
    /** One batch of expired rollup rows, oldest day first, through the {@code day} index (V14). */
    private static final String DELETE_ROLLUP = "DELETE FROM analytics_usage_daily WHERE "
            + "(tenant_id, day, model, provider, key_id, agent_id) IN (SELECT tenant_id, day, model, provider, key_id, "
            + "agent_id FROM analytics_usage_daily WHERE day < ? ORDER BY day LIMIT ?)";

    private final DataSource dataSource;

    public RetentionRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes the retention lock on a connection of its own; empty when another session (another instance) holds it.
     * The lock is a session lock: it lasts across the batches and is released on {@link Session#close()}, or by
     * Postgres when the connection dies with its instance.
     */
    public Optional<Session> tryLock() {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement q = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                q.setLong(1, LOCK_KEY);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.of(new Session(c));
                    }
                }
            }
            c.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IllegalStateException("cannot take the retention lock: " + e.getMessage(), e);
        }
    }

    /** The oldest call kept, if any (one step down the {@code occurred_at} index). */
    public Optional<Instant> oldestCall() {
        return oldest("SELECT MIN(occurred_at) FROM analytics_usage_calls")
                .map(o -> ((Timestamp) o).toInstant());
    }

    /** The oldest rollup day kept, if any. */
    public Optional<LocalDate> oldestRollupDay() {
        return oldest("SELECT MIN(day) FROM analytics_usage_daily").map(o -> ((java.sql.Date) o).toLocalDate());
    }

    private Optional<Object> oldest(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql);
                ResultSet rs = q.executeQuery()) {
            rs.next();
            return Optional.ofNullable(rs.getObject(1));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the oldest retained row: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken: nothing more to release
            }
        }
    }

    /** A connection holding the retention lock. */
    public static final class Session implements AutoCloseable {
        private final Connection connection;

        Session(Connection connection) {
            this.connection = connection;
        }

        /** Deletes at most {@code limit} calls that arrived before {@code before}; answers how many. */
        public int deleteCalls(Instant before, int limit) {
            return delete(DELETE_CALLS, Timestamp.from(before), limit);
        }

        /** Deletes at most {@code limit} rollup rows of days before {@code before}; answers how many. */
        public int deleteRollup(LocalDate before, int limit) {
            return delete(DELETE_ROLLUP, before, limit);
        }

        private int delete(String sql, Object before, int limit) {
            try (PreparedStatement q = connection.prepareStatement(sql)) {
                q.setObject(1, before);
                q.setInt(2, limit);
                return q.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("retention delete failed: " + e.getMessage(), e);
            }
        }

        /** Releases the lock and returns the connection to the pool. */
        @Override
        public void close() {
            try (PreparedStatement q = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                q.setLong(1, LOCK_KEY);
                q.execute();
            } catch (SQLException e) {
                // Never hand a connection that may still hold the lock back to the pool: drop it, and Postgres
                // releases the lock with its session.
                try {
                    connection.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // already gone
                }
            } finally {
                closeQuietly(connection);
            }
        }
    }
}
