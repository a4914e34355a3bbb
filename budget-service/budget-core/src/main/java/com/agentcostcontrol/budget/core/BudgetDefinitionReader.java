package com.agentcostcontrol.budget.core;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Reads budget definitions from table {@code budgets} (owned by budget-service) with plain JDBC, for
 * budget-service and for the proxy's in-process snapshot (which must not call budget-service on the
 * hot path).
 */
public final class BudgetDefinitionReader {

    private static final String COLUMNS = "id, tenant_id, scope_type, scope_id, scope_model, period, limit_micros, mode, "
            + "alert_thresholds, timezone, created_at, downgrade_model, downgrade_at_percent FROM budgets";

    private BudgetDefinitionReader() {
    }

    /** Every budget of every tenant. */
    public static List<BudgetDefinition> all(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " ORDER BY tenant_id, id")) {
            return read(q);
        }
    }

    public static List<BudgetDefinition> ofTenant(Connection c, UUID tenantId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " WHERE tenant_id = ? ORDER BY id")) {
            q.setObject(1, tenantId);
            return read(q);
        }
    }

    private static List<BudgetDefinition> read(PreparedStatement q) throws SQLException {
        List<BudgetDefinition> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    /** Maps one row of {@code SELECT <the columns above>}. */
    public static BudgetDefinition map(ResultSet rs) throws SQLException {
        ScopeType type = ScopeType.fromWire(rs.getString("scope_type"))
                .orElseThrow(() -> new SQLException("unknown scope_type in budgets row"));
        BudgetPeriod period = BudgetPeriod.fromWire(rs.getString("period"))
                .orElseThrow(() -> new SQLException("unknown period in budgets row"));
        BudgetMode mode = BudgetMode.fromWire(rs.getString("mode"))
                .orElseThrow(() -> new SQLException("unknown mode in budgets row"));
        return new BudgetDefinition(
                rs.getObject("id", UUID.class).toString(),
                rs.getObject("tenant_id", UUID.class).toString(),
                new BudgetScope(type, rs.getString("scope_id"), rs.getString("scope_model")),
                period,
                rs.getLong("limit_micros"),
                mode,
                thresholds(rs.getArray("alert_thresholds")),
                ZoneId.of(rs.getString("timezone")),
                rs.getTimestamp("created_at").toInstant(),
                downgrade(rs.getString("downgrade_model"), rs.getInt("downgrade_at_percent")));
    }

    private static DowngradePolicy downgrade(String model, int atPercent) {
        return model == null ? null : new DowngradePolicy(model, atPercent);
    }

    private static List<Integer> thresholds(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object raw = array.getArray();
        if (raw instanceof Integer[] ints) {
            return Arrays.asList(ints);
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : (Object[]) raw) {
            out.add(((Number) o).intValue());
        }
        return out;
    }
}
