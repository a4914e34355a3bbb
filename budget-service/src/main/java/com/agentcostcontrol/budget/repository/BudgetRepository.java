package com.agentcostcontrol.budget.repository;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetDefinitionReader;
import com.agentcostcontrol.budget.core.DowngradePolicy;

/**
 * Table {@code budgets} in plain JDBC (the row mapping is shared with the proxy through
 * {@link BudgetDefinitionReader}). Joins the caller's JTA transaction when there is one.
 */
@ApplicationScoped
public class BudgetRepository {

    private static final String SELECT = "SELECT id, tenant_id, scope_type, scope_id, scope_model, period, limit_micros, "
            + "mode, alert_thresholds, timezone, created_at, updated_at, downgrade_model, downgrade_at_percent FROM budgets";

    private final DataSource dataSource;

    public BudgetRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void insert(BudgetDefinition d, Instant now) {
        String sql = "INSERT INTO budgets (id, tenant_id, scope_type, scope_id, scope_model, period, limit_micros, mode, "
                + "alert_thresholds, timezone, created_at, updated_at, downgrade_model, downgrade_at_percent) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, UUID.fromString(d.id()));
            q.setObject(2, UUID.fromString(d.tenantId()));
            q.setString(3, d.scope().type().wire());
            q.setString(4, d.scope().id());
            q.setString(5, d.scope().model());
            q.setString(6, d.period().wire());
            q.setLong(7, d.limitMicros());
            q.setString(8, d.mode().wire());
            q.setArray(9, c.createArrayOf("integer", d.alertThresholds().toArray()));
            q.setString(10, d.zone().getId());
            q.setTimestamp(11, Timestamp.from(d.createdAt()));
            q.setTimestamp(12, Timestamp.from(now));
            setDowngrade(q, 13, d.downgrade());
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot insert budget: " + e.getMessage(), e);
        }
    }

    /** Replaces the changeable fields (period, limit, mode, thresholds, time zone, downgrade); scope never changes. */
    public boolean update(BudgetDefinition d, Instant now) {
        String sql = "UPDATE budgets SET period = ?, limit_micros = ?, mode = ?, alert_thresholds = ?, timezone = ?, "
                + "updated_at = ?, downgrade_model = ?, downgrade_at_percent = ? WHERE id = ? AND tenant_id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, d.period().wire());
            q.setLong(2, d.limitMicros());
            q.setString(3, d.mode().wire());
            q.setArray(4, c.createArrayOf("integer", d.alertThresholds().toArray()));
            q.setString(5, d.zone().getId());
            q.setTimestamp(6, Timestamp.from(now));
            setDowngrade(q, 7, d.downgrade());
            q.setObject(9, UUID.fromString(d.id()));
            q.setObject(10, UUID.fromString(d.tenantId()));
            return q.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update budget: " + e.getMessage(), e);
        }
    }

    private static void setDowngrade(PreparedStatement q, int index, DowngradePolicy p) throws SQLException {
        if (p == null) {
            q.setNull(index, Types.VARCHAR);
            q.setNull(index + 1, Types.INTEGER);
        } else {
            q.setString(index, p.model());
            q.setInt(index + 1, p.atPercent());
        }
    }

    /**
     * The catalog prices of a model (table {@code model_prices}, owned by router-service, read here), or
     * empty when the catalog does not list it. A price the catalog leaves open is {@code null}.
     */
    public Optional<CatalogPrice> catalogPrice(String model) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT input_cost_per_token, output_cost_per_token FROM model_prices WHERE model = ?")) {
            q.setString(1, model);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new CatalogPrice(rs.getBigDecimal(1), rs.getBigDecimal(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the price catalog: " + e.getMessage(), e);
        }
    }

    /** Per-token USD prices of a catalog model; either may be {@code null} (embedding models have no output price). */
    public record CatalogPrice(BigDecimal input, BigDecimal output) {
        /** Every call pays input tokens: without an input price the call's cost is unknown. */
        public boolean priced() {
            return input != null;
        }

        /** Never dearer than {@code other} on a price both list, and cheaper on at least one. */
        public boolean cheaperThan(CatalogPrice other) {
            int in = input.compareTo(other.input);
            int out = output == null || other.output == null ? 0 : output.compareTo(other.output);
            return in <= 0 && out <= 0 && (in < 0 || out < 0);
        }
    }

    public boolean delete(UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("DELETE FROM budgets WHERE id = ?")) {
            q.setObject(1, id);
            return q.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete budget: " + e.getMessage(), e);
        }
    }

    public Optional<Budget> find(UUID id) {
        List<Budget> found = query(SELECT + " WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<Budget> ofTenant(UUID tenantId) {
        return query(SELECT + " WHERE tenant_id = ? ORDER BY created_at, id", tenantId);
    }

    public List<Budget> all() {
        return query(SELECT + " ORDER BY tenant_id, id", null);
    }

    /** Every budget's definition, grouped by tenant id (the unit the counter scripts work on), in tenant order. */
    public Map<String, List<BudgetDefinition>> definitionsByTenant() {
        Map<String, List<BudgetDefinition>> byTenant = new LinkedHashMap<>();
        for (Budget b : all()) {
            byTenant.computeIfAbsent(b.definition().tenantId(), t -> new ArrayList<>()).add(b.definition());
        }
        return byTenant;
    }

    public boolean tenantExists(UUID tenantId) {
        return exists("SELECT 1 FROM tenants WHERE id = ?", tenantId, null);
    }

    /** Whether a virtual key (table owned by proxy-service, read here) belongs to the tenant. */
    public boolean keyBelongsTo(UUID keyId, UUID tenantId) {
        return exists("SELECT 1 FROM virtual_keys WHERE id = ? AND tenant_id = ?", keyId, tenantId);
    }

    private boolean exists(String sql, UUID a, UUID b) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, a);
            if (b != null) {
                q.setObject(2, b);
            }
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("lookup failed: " + e.getMessage(), e);
        }
    }

    private List<Budget> query(String sql, UUID param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            if (param != null) {
                q.setObject(1, param);
            }
            List<Budget> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Budget(BudgetDefinitionReader.map(rs), rs.getTimestamp("updated_at").toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read budgets: " + e.getMessage(), e);
        }
    }
}
