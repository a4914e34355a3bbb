package com.agentcostcontrol.analytics.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.analytics.SpendGroup;
import com.agentcostcontrol.analytics.SpendRow;
import com.agentcostcontrol.analytics.UsageCall;

/**
 * Tables {@code analytics_usage_calls} (the usage ledger, one row per call, idempotent on the request id) and
 * {@code analytics_usage_daily} (its sums per tenant, UTC day and group keys).
 */
@ApplicationScoped
public class UsageLedgerRepository {

    /** The database refused the row itself (SQLSTATE class 22 data exception or 23 integrity): retrying cannot help. */
    public static final class RejectedRowException extends RuntimeException {
        RejectedRowException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The ledger row and, only when it is new, its share of the daily rollup, in one statement (so one
     * transaction): the rollup can never count a call the ledger does not hold, or count one twice. Answers the
     * number of ledger rows inserted.
     */
    private static final String INSERT = "WITH new_call AS (INSERT INTO analytics_usage_calls (request_id, tenant_id, "
            + "key_id, agent_id, endpoint, requested_model, served_model, provider, deployment, deployment_id, "
            + "status, http_status, error_code, streamed, attempts, input_tokens, cache_read_tokens, "
            + "cache_write_5m_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens, tokens_estimated, "
            + "cost_micros, latency_ms, ttft_ms, occurred_at, stream_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING RETURNING *), "
            + "daily AS (INSERT INTO analytics_usage_daily AS d (tenant_id, day, model, provider, key_id, agent_id, "
            + "requests, input_tokens, output_tokens, cost_micros) SELECT tenant_id, "
            + "(occurred_at AT TIME ZONE 'UTC')::date, COALESCE(served_model, requested_model, ''), "
            + "COALESCE(provider, ''), COALESCE(key_id::text, ''), COALESCE(agent_id, ''), 1, "
            + "input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens, output_tokens, "
            + "COALESCE(cost_micros, 0) FROM new_call WHERE tenant_id IS NOT NULL "
            + "ON CONFLICT (tenant_id, day, model, provider, key_id, agent_id) DO UPDATE SET "
            + "requests = d.requests + EXCLUDED.requests, input_tokens = d.input_tokens + EXCLUDED.input_tokens, "
            + "output_tokens = d.output_tokens + EXCLUDED.output_tokens, "
            + "cost_micros = d.cost_micros + EXCLUDED.cost_micros) "
            + "SELECT COUNT(*) FROM new_call";

    private final DataSource dataSource;

    public UsageLedgerRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts the call unless its request id is already recorded; answers whether it was inserted.
     *
     * @throws RejectedRowException when the database refuses the values themselves
     * @throws IllegalStateException when the database cannot be reached or fails otherwise (worth a retry)
     */
    public boolean insert(UsageCall call) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(INSERT)) {
            int i = 0;
            q.setString(++i, call.requestId());
            q.setObject(++i, call.tenantId());
            q.setObject(++i, call.keyId());
            q.setString(++i, call.agentId());
            q.setString(++i, call.endpoint());
            q.setString(++i, call.requestedModel());
            q.setString(++i, call.servedModel());
            q.setString(++i, call.provider());
            q.setString(++i, call.deployment());
            q.setString(++i, call.deploymentId());
            q.setString(++i, call.status());
            q.setInt(++i, call.httpStatus());
            q.setString(++i, call.errorCode());
            q.setBoolean(++i, call.streamed());
            q.setInt(++i, call.attempts());
            q.setLong(++i, call.inputTokens());
            q.setLong(++i, call.cacheReadTokens());
            q.setLong(++i, call.cacheWrite5mTokens());
            q.setLong(++i, call.cacheWrite1hTokens());
            q.setLong(++i, call.outputTokens());
            q.setLong(++i, call.reasoningTokens());
            q.setBoolean(++i, call.tokensEstimated());
            setLong(q, ++i, call.costMicros());
            q.setLong(++i, call.latencyMs());
            setLong(q, ++i, call.ttftMs());
            q.setTimestamp(++i, Timestamp.from(call.occurredAt()));
            q.setString(++i, call.streamId());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("22") || state.startsWith("23")) {
                throw new RejectedRowException("usage ledger refused the row (SQLSTATE " + state + ")", e);
            }
            throw new IllegalStateException("cannot record usage: " + e.getMessage(), e);
        }
    }

    /**
     * The tenant's calls that arrived in {@code [from, to)}, summed per group. Rows are sorted by cost (highest
     * first, then most requests, then group name) — by day (oldest first) for {@link SpendGroup#DAY}. The whole
     * UTC days of the range are read from the daily rollup, the partial days at its edges from the ledger.
     */
    public List<SpendRow> spend(UUID tenantId, SpendGroup groupBy, Instant from, Instant to) {
        LocalDate firstWholeDay = LocalDate.ofInstant(from, ZoneOffset.UTC);
        if (firstWholeDay.atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(from)) {
            firstWholeDay = firstWholeDay.plusDays(1);
        }
        LocalDate endOfWholeDays = LocalDate.ofInstant(to, ZoneOffset.UTC);
        Instant headEnd = to;
        Instant tailStart = to;
        if (firstWholeDay.isBefore(endOfWholeDays)) {
            headEnd = firstWholeDay.atStartOfDay(ZoneOffset.UTC).toInstant();
            tailStart = endOfWholeDays.atStartOfDay(ZoneOffset.UTC).toInstant();
        } else {
            // No whole day inside: everything from the ledger, nothing from the rollup.
            endOfWholeDays = firstWholeDay;
        }
        String order = groupBy == SpendGroup.DAY ? "g ASC" : "cost DESC, requests DESC, g ASC NULLS LAST";
        String sql = "SELECT g, SUM(requests) AS requests, SUM(input) AS input, SUM(output) AS output, "
                + "SUM(cost) AS cost FROM ("
                + "SELECT " + rollupGroup(groupBy) + " AS g, requests, input_tokens AS input, output_tokens AS output, "
                + "cost_micros AS cost FROM analytics_usage_daily WHERE tenant_id = ? AND day >= ? AND day < ? "
                + "UNION ALL "
                + "SELECT " + ledgerGroup(groupBy) + " AS g, 1, input_tokens + cache_read_tokens + cache_write_5m_tokens "
                + "+ cache_write_1h_tokens, output_tokens, COALESCE(cost_micros, 0) FROM analytics_usage_calls "
                + "WHERE tenant_id = ? AND ((occurred_at >= ? AND occurred_at < ?) "
                + "OR (occurred_at >= ? AND occurred_at < ?))"
                + ") u GROUP BY g ORDER BY " + order;
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, tenantId);
            q.setObject(2, firstWholeDay);
            q.setObject(3, endOfWholeDays);
            q.setObject(4, tenantId);
            q.setTimestamp(5, Timestamp.from(from));
            q.setTimestamp(6, Timestamp.from(headEnd));
            q.setTimestamp(7, Timestamp.from(tailStart));
            q.setTimestamp(8, Timestamp.from(to));
            List<SpendRow> rows = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new SpendRow(rs.getString("g"), rs.getLong("requests"), rs.getLong("input"),
                            rs.getLong("output"), rs.getLong("cost")));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the usage ledger: " + e.getMessage(), e);
        }
    }

    /**
     * Filters of a calls listing; {@code null} = any. {@code model} matches the served or the requested model;
     * {@code before} is the keyset cursor: only calls strictly older than it, in listing order.
     */
    public record CallFilter(Instant from, Instant to, UUID keyId, String agentId, String model, String status,
            Instant beforeTime, String beforeRequestId) {
    }

    /** The tenant's calls matching the filter, newest first (ties by request id, descending), at most {@code limit}. */
    public List<UsageCall> calls(UUID tenantId, CallFilter f, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM analytics_usage_calls WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(tenantId);
        if (f.from() != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND occurred_at < ?");
            args.add(Timestamp.from(f.to()));
        }
        if (f.keyId() != null) {
            sql.append(" AND key_id = ?");
            args.add(f.keyId());
        }
        if (f.agentId() != null) {
            sql.append(" AND agent_id = ?");
            args.add(f.agentId());
        }
        if (f.model() != null) {
            sql.append(" AND (served_model = ? OR requested_model = ?)");
            args.add(f.model());
            args.add(f.model());
        }
        if (f.status() != null) {
            sql.append(" AND status = ?");
            args.add(f.status());
        }
        if (f.beforeTime() != null) {
            sql.append(" AND (occurred_at, request_id) < (?, ?)");
            args.add(Timestamp.from(f.beforeTime()));
            args.add(f.beforeRequestId());
        }
        sql.append(" ORDER BY occurred_at DESC, request_id DESC LIMIT ?");
        args.add(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                q.setObject(i + 1, args.get(i));
            }
            List<UsageCall> calls = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    calls.add(call(rs));
                }
            }
            return calls;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the usage ledger: " + e.getMessage(), e);
        }
    }

    private static UsageCall call(ResultSet rs) throws SQLException {
        return new UsageCall(rs.getString("request_id"), rs.getObject("tenant_id", UUID.class),
                rs.getObject("key_id", UUID.class), rs.getString("agent_id"), rs.getString("endpoint"),
                rs.getString("requested_model"), rs.getString("served_model"), rs.getString("provider"),
                rs.getString("deployment"), rs.getString("deployment_id"), rs.getString("status"),
                rs.getInt("http_status"), rs.getString("error_code"), rs.getBoolean("streamed"),
                rs.getInt("attempts"), rs.getLong("input_tokens"), rs.getLong("cache_read_tokens"),
                rs.getLong("cache_write_5m_tokens"), rs.getLong("cache_write_1h_tokens"), rs.getLong("output_tokens"),
                rs.getLong("reasoning_tokens"), rs.getBoolean("tokens_estimated"),
                rs.getObject("cost_micros", Long.class), rs.getLong("latency_ms"), rs.getObject("ttft_ms", Long.class),
                rs.getTimestamp("occurred_at").toInstant(), rs.getString("stream_id"));
    }

    /** SQL of the group value in the ledger; a fixed expression per enum constant, never caller text. */
    private static String ledgerGroup(SpendGroup groupBy) {
        return switch (groupBy) {
            case MODEL -> "COALESCE(served_model, requested_model)";
            case PROVIDER -> "provider";
            case KEY -> "key_id::text";
            case AGENT -> "agent_id";
            // Days are UTC calendar days, whatever the database session's time zone.
            case DAY -> "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
        };
    }

    /** The same group value in the daily rollup, where absent is '' rather than NULL. */
    private static String rollupGroup(SpendGroup groupBy) {
        return switch (groupBy) {
            case MODEL -> "NULLIF(model, '')";
            case PROVIDER -> "NULLIF(provider, '')";
            case KEY -> "NULLIF(key_id, '')";
            case AGENT -> "NULLIF(agent_id, '')";
            case DAY -> "to_char(day, 'YYYY-MM-DD')";
        };
    }

    private static void setLong(PreparedStatement q, int index, Long value) throws SQLException {
        if (value == null) {
            q.setNull(index, Types.BIGINT);
        } else {
            q.setLong(index, value);
        }
    }
}
