package com.agentcostcontrol.budget.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.budget.BudgetAlert;

/** Table {@code budget_alerts}: UNIQUE(budget, period start, threshold) makes each threshold fire once per period. */
@ApplicationScoped
public class AlertRepository {

    private final DataSource dataSource;

    public AlertRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the alert unless it already fired in this period; answers whether it was new. */
    public boolean fireOnce(UUID budgetId, UUID tenantId, Instant periodStart, int threshold, long spentMicros,
            long limitMicros) {
        String sql = "INSERT INTO budget_alerts (budget_id, tenant_id, period_start, threshold, spent_micros, limit_micros) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (budget_id, period_start, threshold) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, budgetId);
            q.setObject(2, tenantId);
            q.setTimestamp(3, Timestamp.from(periodStart));
            q.setInt(4, threshold);
            q.setLong(5, spentMicros);
            q.setLong(6, limitMicros);
            return q.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record budget alert: " + e.getMessage(), e);
        }
    }

    /**
     * Locks the budget's row until the transaction ends, so threshold checks of one budget run one after
     * another: each then sees the ledger rows of the calls recorded before it (under READ COMMITTED, a check
     * that ran beside another call's uncommitted insert could miss a crossing). Callers lock budgets in a
     * fixed order (sorted ids) to rule out deadlocks.
     */
    public void lockBudget(UUID budgetId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT 1 FROM budgets WHERE id = ? FOR NO KEY UPDATE")) {
            q.setObject(1, budgetId);
            q.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock budget for its alert check: " + e.getMessage(), e);
        }
    }

    public List<BudgetAlert> ofBudget(UUID budgetId) {
        String sql = "SELECT budget_id, period_start, threshold, spent_micros, limit_micros, fired_at FROM budget_alerts "
                + "WHERE budget_id = ? ORDER BY fired_at, period_start, threshold";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, budgetId);
            List<BudgetAlert> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new BudgetAlert(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getInt(3),
                            rs.getLong(4), rs.getLong(5), rs.getTimestamp(6).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read budget alerts: " + e.getMessage(), e);
        }
    }
}
