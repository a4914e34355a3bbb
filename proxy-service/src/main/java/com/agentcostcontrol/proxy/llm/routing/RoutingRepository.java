package com.agentcostcontrol.proxy.llm.routing;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the {@code deployments} and {@code routes} tables (owned by router-service) in plain JDBC
 * for the proxy's routing snapshot. Runs off the event loop, at start, on change and periodically.
 */
@ApplicationScoped
public class RoutingRepository {

    /** A deployment row; the credential is still encrypted here. */
    public record DeploymentRow(UUID id, UUID tenantId, String name, String provider, String model, String baseUrl,
            String apiKeyCiphertext, int weight, int timeoutMs) {
    }

    /** A route row: model → deployment names in order, strategy, fallback models. */
    public record RouteRow(UUID tenantId, String model, String strategy, List<String> deployments,
            List<String> fallbacks) {
    }

    private static final String DEPLOYMENTS = """
            SELECT id, tenant_id, name, provider, model, base_url, api_key_ciphertext, weight, timeout_ms
              FROM deployments WHERE enabled""";
    private static final String ROUTES = "SELECT tenant_id, model, strategy, deployments, fallbacks FROM routes";

    private final DataSource dataSource;

    public RoutingRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<DeploymentRow> deployments() {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(DEPLOYMENTS);
             ResultSet rs = q.executeQuery()) {
            List<DeploymentRow> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new DeploymentRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getInt(9)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read deployments: " + e.getMessage(), e);
        }
    }

    public List<RouteRow> routes() {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(ROUTES);
             ResultSet rs = q.executeQuery()) {
            List<RouteRow> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new RouteRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        strings(rs.getArray(4)), strings(rs.getArray(5))));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read routes: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.copyOf(Arrays.asList((String[]) array.getArray()));
    }
}
