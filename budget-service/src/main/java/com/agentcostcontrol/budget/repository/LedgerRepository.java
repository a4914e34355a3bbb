package com.agentcostcontrol.budget.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.budget.SettledCall;

/** Table {@code budget_ledger}: one row per settled call, the durable truth behind the Redis counters. */
@ApplicationScoped
public class LedgerRepository {

    private final DataSource dataSource;

    public LedgerRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts the call unless its request id is already recorded; answers whether it was inserted. */
    public boolean insert(SettledCall call) {
        String sql = "INSERT INTO budget_ledger (request_id, tenant_id, budget_ids, key_id, agent_id, model, cost_micros, "
                + "occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, call.requestId());
            q.setObject(2, call.tenantId());
            q.setArray(3, c.createArrayOf("uuid", call.budgetIds().toArray()));
            q.setObject(4, call.keyId());
            q.setString(5, call.agentId());
            q.setString(6, call.model());
            q.setLong(7, call.costMicros());
            q.setTimestamp(8, Timestamp.from(call.at()));
            return q.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record settled call: " + e.getMessage(), e);
        }
    }

    /**
     * Total cost charged to a budget by calls reserved in {@code [from, to)}; {@code to == null} means no
     * upper bound.
     */
    public long sum(UUID tenantId, UUID budgetId, Instant from, Instant to) {
        String sql = "SELECT COALESCE(SUM(cost_micros), 0) FROM budget_ledger WHERE tenant_id = ? "
                + "AND budget_ids @> ARRAY[?]::uuid[] AND occurred_at >= ?" + (to == null ? "" : " AND occurred_at < ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, tenantId);
            q.setObject(2, budgetId);
            q.setTimestamp(3, Timestamp.from(from));
            if (to != null) {
                q.setTimestamp(4, Timestamp.from(to));
            }
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot sum the budget ledger: " + e.getMessage(), e);
        }
    }
}
