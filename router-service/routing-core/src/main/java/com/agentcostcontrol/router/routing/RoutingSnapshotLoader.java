package com.agentcostcontrol.router.routing;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import com.agentcostcontrol.router.pricing.Capability;

/**
 * Reads {@code deployments}, {@code routes} and the enabled {@code routing_rules} with plain JDBC,
 * in one repeatable-read transaction so the three tables come from the same moment. Every row is
 * validated; an invalid row is reported in {@link LoadResult#rejected()} and skipped, the rest load.
 * A route naming a deployment that does not exist still loads (the planner skips the name, saying
 * why): refusing the whole route would turn one stale name into an outage.
 */
public final class RoutingSnapshotLoader implements RoutingSnapshotHolder.Source {

    static final String DEPLOYMENTS_SQL = "SELECT id::text AS id, tenant_id::text AS tenant_id, name, provider, model,"
            + " base_url, api_key_ciphertext, weight, timeout_ms, enabled FROM deployments ORDER BY created_at, id";
    static final String ROUTES_SQL = "SELECT id::text AS id, tenant_id::text AS tenant_id, model, strategy, deployments,"
            + " fallbacks FROM routes ORDER BY created_at, id";
    static final String RULES_SQL = "SELECT id::text AS id, tenant_id::text AS tenant_id, priority, description,"
            + " match_model, match_task, match_capability, match_max_cost_usd, action, action_model, action_strategy,"
            + " action_capability, created_at FROM routing_rules WHERE enabled ORDER BY priority, created_at, id";

    private final DataSource dataSource;

    public RoutingSnapshotLoader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What one load produced: the snapshot and a line for every row that was skipped. */
    public record LoadResult(RoutingSnapshot snapshot, List<String> rejected) {
        public LoadResult {
            rejected = List.copyOf(rejected);
        }
    }

    /**
     * @throws RoutingLoadException when the tables cannot be read
     */
    @Override
    public LoadResult load() throws RoutingLoadException {
        List<String> rejected = new ArrayList<>();
        List<Deployment> deployments = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        List<RoutingRule> rules = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                readDeployments(c, deployments, rejected);
                readRoutes(c, routes, rejected);
                readRules(c, rules, rejected);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new RoutingLoadException("cannot read the routing tables: " + e.getMessage(), e);
        }
        return new LoadResult(RoutingSnapshot.of(deployments, routes, rules), rejected);
    }

    private static void readDeployments(Connection c, List<Deployment> out, List<String> rejected) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement q = c.prepareStatement(DEPLOYMENTS_SQL); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("id");
                try {
                    Deployment d = new Deployment(id, rs.getString("tenant_id"), rs.getString("name"),
                            rs.getString("provider"), rs.getString("model"), rs.getString("base_url"),
                            rs.getString("api_key_ciphertext"), rs.getInt("weight"), rs.getInt("timeout_ms"),
                            rs.getBoolean("enabled"));
                    if (!names.add(d.tenantId() + "/" + d.name())) {
                        throw new IllegalArgumentException("a second deployment with the name " + d.name());
                    }
                    out.add(d);
                } catch (IllegalArgumentException e) {
                    rejected.add("deployments " + id + " skipped: " + e.getMessage());
                }
            }
        }
    }

    private static void readRoutes(Connection c, List<Route> out, List<String> rejected) throws SQLException {
        Set<String> models = new HashSet<>();
        try (PreparedStatement q = c.prepareStatement(ROUTES_SQL); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("id");
                try {
                    String strategyText = rs.getString("strategy");
                    Strategy strategy = Strategy.parse(strategyText).orElseThrow(() -> new IllegalArgumentException(
                            "unknown strategy '" + strategyText + "' (known: " + Strategy.names() + ")"));
                    Route r = new Route(id, rs.getString("tenant_id"), rs.getString("model"), strategy,
                            strings(rs.getArray("deployments")), strings(rs.getArray("fallbacks")));
                    if (!models.add(r.tenantId() + "/" + r.model())) {
                        throw new IllegalArgumentException("a second route for model " + r.model());
                    }
                    out.add(r);
                } catch (IllegalArgumentException e) {
                    rejected.add("routes " + id + " skipped: " + e.getMessage());
                }
            }
        }
    }

    private static void readRules(Connection c, List<RoutingRule> out, List<String> rejected) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(RULES_SQL); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("id");
                try {
                    out.add(rule(rs, id));
                } catch (IllegalArgumentException e) {
                    rejected.add("routing_rules " + id + " skipped: " + e.getMessage());
                }
            }
        }
    }

    private static RoutingRule rule(ResultSet rs, String id) throws SQLException {
        String pattern = rs.getString("match_model");
        String task = rs.getString("match_task");
        String capability = rs.getString("match_capability");
        BigDecimal maxCost = rs.getBigDecimal("match_max_cost_usd");
        String actionText = rs.getString("action");
        String strategy = rs.getString("action_strategy");
        String targetCapability = rs.getString("action_capability");
        Timestamp created = rs.getTimestamp("created_at");
        return new RoutingRule(id, rs.getString("tenant_id"), rs.getInt("priority"), rs.getString("description"),
                pattern == null ? null : Glob.of(pattern),
                task == null ? null : TaskType.parse(task).orElseThrow(() -> new IllegalArgumentException(
                        "unknown task type '" + task + "'")),
                capability == null ? null : capability(capability),
                maxCost,
                RoutingRule.Action.parse(actionText).orElseThrow(() -> new IllegalArgumentException(
                        "unknown action '" + actionText + "'")),
                rs.getString("action_model"),
                strategy == null ? null : Strategy.parse(strategy).orElseThrow(() -> new IllegalArgumentException(
                        "unknown strategy '" + strategy + "'")),
                targetCapability == null ? null : capability(targetCapability),
                created == null ? null : created.toInstant());
    }

    private static Capability capability(String name) {
        return Capability.parse(name).orElseThrow(() -> new IllegalArgumentException("unknown capability '" + name + "'"));
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        return Arrays.stream(values).map(v -> v == null ? null : v.toString()).toList();
    }
}
