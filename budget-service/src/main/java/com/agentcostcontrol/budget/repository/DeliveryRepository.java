package com.agentcostcontrol.budget.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.budget.WebhookDelivery;

/**
 * The webhook outbox ({@code budget_webhook_deliveries}) and its attempt log ({@code budget_webhook_attempts}).
 * Rows are enqueued in the transaction of the alert they announce; senders claim due rows with
 * {@code FOR UPDATE SKIP LOCKED}, so several budget-service instances never send the same attempt.
 */
@ApplicationScoped
public class DeliveryRepository {

    /** A claimed delivery: {@code attempt} is the number of the attempt about to be made. */
    public record Claimed(long id, UUID eventId, UUID tenantId, String eventType, String payload, int attempt) {
    }

    private static final String SELECT = "SELECT id, event_id, tenant_id, budget_id, event_type, payload, status, attempts, "
            + "next_attempt_at, last_status_code, last_error, delivered_at, created_at FROM budget_webhook_deliveries";

    private final DataSource dataSource;

    public DeliveryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds an event to the outbox unless its id is already there; answers whether it was added. */
    public boolean enqueue(UUID eventId, UUID tenantId, UUID budgetId, String eventType, String payload) {
        String sql = "INSERT INTO budget_webhook_deliveries (event_id, tenant_id, budget_id, event_type, payload) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, eventId);
            q.setObject(2, tenantId);
            q.setObject(3, budgetId);
            q.setString(4, eventType);
            q.setString(5, payload);
            return q.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot enqueue webhook delivery: " + e.getMessage(), e);
        }
    }

    /**
     * Claims up to {@code limit} due deliveries for one attempt each: counts the attempt and moves their
     * next attempt {@code lease} ahead, so if this sender dies mid-attempt they come due again (at least
     * once). One statement: atomic without a surrounding transaction.
     */
    public List<Claimed> claimDue(int limit, Duration lease) {
        String sql = "UPDATE budget_webhook_deliveries SET attempts = attempts + 1, "
                + "next_attempt_at = now() + make_interval(secs => ?) "
                + "WHERE id IN (SELECT id FROM budget_webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now() "
                + "ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) "
                + "RETURNING id, event_id, tenant_id, event_type, payload, attempts";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setDouble(1, lease.toMillis() / 1000.0);
            q.setInt(2, limit);
            List<Claimed> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Claimed(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                            rs.getString(5), rs.getInt(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim webhook deliveries: " + e.getMessage(), e);
        }
    }

    /**
     * Records one attempt and its consequence in one statement: {@code delivered} and {@code failed} end the
     * delivery, {@code retry} schedules the next attempt at {@code nextAttemptAt}. A delivery that another
     * sender has finished meanwhile is left as it is.
     */
    public void recordAttempt(long deliveryId, int attempt, Instant startedAt, int durationMs, Integer statusCode,
            String error, String outcome, Instant nextAttemptAt) {
        String sql = "WITH logged AS (INSERT INTO budget_webhook_attempts "
                + "(delivery_id, attempt, started_at, duration_ms, status_code, error, outcome) VALUES (?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING) "
                + "UPDATE budget_webhook_deliveries SET status = ?, last_status_code = ?, last_error = ?, "
                + "delivered_at = CASE WHEN ? = 'delivered' THEN now() ELSE delivered_at END, "
                + "next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ? AND status = 'pending'";
        String status = switch (outcome) {
            case "retry" -> "pending";
            case "delivered", "failed" -> outcome;
            default -> throw new IllegalArgumentException("unknown outcome " + outcome);
        };
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setLong(1, deliveryId);
            q.setInt(2, attempt);
            q.setTimestamp(3, Timestamp.from(startedAt));
            q.setInt(4, durationMs);
            setInteger(q, 5, statusCode);
            q.setString(6, error);
            q.setString(7, outcome);
            q.setString(8, status);
            setInteger(q, 9, statusCode);
            q.setString(10, error);
            q.setString(11, outcome);
            q.setTimestamp(12, nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt));
            q.setLong(13, deliveryId);
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record webhook attempt: " + e.getMessage(), e);
        }
    }

    /** A tenant's deliveries, newest first, optionally of one budget and/or in one status. */
    public List<WebhookDelivery> ofTenant(UUID tenantId, UUID budgetId, String status, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE tenant_id = ?");
        List<Object> params = new ArrayList<>(List.of(tenantId));
        if (budgetId != null) {
            sql.append(" AND budget_id = ?");
            params.add(budgetId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status);
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        params.add(limit);
        return query(sql.toString(), params);
    }

    public Optional<WebhookDelivery> find(UUID tenantId, UUID eventId) {
        List<WebhookDelivery> found = query(SELECT + " WHERE tenant_id = ? AND event_id = ?", List.of(tenantId, eventId));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Deletes finished deliveries (and their attempts) created before {@code before}; answers how many. */
    public int purgeFinished(Instant before) {
        String sql = "DELETE FROM budget_webhook_deliveries WHERE status <> 'pending' AND created_at < ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setTimestamp(1, Timestamp.from(before));
            return q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot purge webhook deliveries: " + e.getMessage(), e);
        }
    }

    private List<WebhookDelivery> query(String sql, List<Object> params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                q.setObject(i + 1, params.get(i));
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                            rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                            instant(rs, 9), (Integer) rs.getObject(10), rs.getString(11), instant(rs, 12), instant(rs, 13)));
                }
            }
            Map<Long, List<WebhookDelivery.Attempt>> attempts = attempts(c, rows);
            return rows.stream().map(r -> new WebhookDelivery(r.id, r.eventId, r.tenantId, r.budgetId, r.eventType, r.payload,
                    r.status, r.attempts, r.nextAttemptAt, r.lastStatusCode, r.lastError, r.deliveredAt, r.createdAt,
                    attempts.getOrDefault(r.id, List.of()))).toList();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read webhook deliveries: " + e.getMessage(), e);
        }
    }

    private static Map<Long, List<WebhookDelivery.Attempt>> attempts(Connection c, List<Row> rows) throws SQLException {
        Map<Long, List<WebhookDelivery.Attempt>> out = new HashMap<>();
        if (rows.isEmpty()) {
            return out;
        }
        String sql = "SELECT delivery_id, attempt, started_at, duration_ms, status_code, error, outcome "
                + "FROM budget_webhook_attempts WHERE delivery_id = ANY (?) ORDER BY delivery_id, attempt";
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setArray(1, c.createArrayOf("bigint", rows.stream().map(r -> r.id).toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new WebhookDelivery.Attempt(rs.getInt(2),
                            instant(rs, 3), rs.getInt(4), (Integer) rs.getObject(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static void setInteger(PreparedStatement q, int index, Integer value) throws SQLException {
        if (value == null) {
            q.setNull(index, Types.INTEGER);
        } else {
            q.setInt(index, value);
        }
    }

    private record Row(long id, UUID eventId, UUID tenantId, UUID budgetId, String eventType, String payload, String status,
            int attempts, Instant nextAttemptAt, Integer lastStatusCode, String lastError, Instant deliveredAt,
            Instant createdAt) {
    }
}
