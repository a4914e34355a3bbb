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

import com.agentcostcontrol.budget.ForecastAlert;

/** Table {@code budget_forecast_alerts}: UNIQUE(budget, period start) makes a forecast alert fire once per period. */
@ApplicationScoped
public class ForecastAlertRepository {

    private final DataSource dataSource;

    public ForecastAlertRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the alert unless one already fired in this period; answers whether it was new. */
    public boolean fireOnce(UUID budgetId, UUID tenantId, ForecastAlert a) {
        String sql = "INSERT INTO budget_forecast_alerts (budget_id, tenant_id, period_start, spent_micros, limit_micros, "
                + "projected_micros, exhaustion_at, fired_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (budget_id, period_start) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, budgetId);
            q.setObject(2, tenantId);
            q.setTimestamp(3, Timestamp.from(a.periodStart()));
            q.setLong(4, a.spentMicros());
            q.setLong(5, a.limitMicros());
            q.setLong(6, a.projectedMicros());
            q.setTimestamp(7, a.exhaustionAt() == null ? null : Timestamp.from(a.exhaustionAt()));
            q.setTimestamp(8, Timestamp.from(a.firedAt()));
            return q.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record forecast alert: " + e.getMessage(), e);
        }
    }

    public List<ForecastAlert> ofBudget(UUID budgetId) {
        String sql = "SELECT budget_id, period_start, spent_micros, limit_micros, projected_micros, exhaustion_at, fired_at "
                + "FROM budget_forecast_alerts WHERE budget_id = ? ORDER BY fired_at, period_start";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, budgetId);
            List<ForecastAlert> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Timestamp exhaustion = rs.getTimestamp(6);
                    out.add(new ForecastAlert(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getLong(3),
                            rs.getLong(4), rs.getLong(5), exhaustion == null ? null : exhaustion.toInstant(),
                            rs.getTimestamp(7).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read forecast alerts: " + e.getMessage(), e);
        }
    }
}
