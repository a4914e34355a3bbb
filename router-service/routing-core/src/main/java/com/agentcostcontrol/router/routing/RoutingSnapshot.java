package com.agentcostcontrol.router.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable picture of every deployment, route and enabled rule, operator-level and per tenant.
 * The proxy plans from it in-process (no call to router-service on the hot path) and swaps it
 * whole on change ({@link RoutingSnapshotHolder}).
 *
 * <p>Visibility: a tenant sees its own deployments, routes and rules plus the operator-level ones;
 * its route for a model overrides the operator's route of the same model. Deployment names in a
 * tenant route resolve to the tenant's deployment of that name, else the operator's; in an operator
 * route only to operator deployments (a tenant's deployment never serves another tenant, nor an
 * operator route).
 */
public final class RoutingSnapshot {

    private static final RoutingSnapshot EMPTY = new RoutingSnapshot(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
            List.of(), Map.of());

    private final Map<String, Deployment> byId;
    private final Map<String, Deployment> operatorDeployments;
    private final Map<String, Map<String, Deployment>> tenantDeployments;
    private final Map<String, Route> operatorRoutes;
    private final Map<String, Map<String, Route>> tenantRoutes;
    private final List<RoutingRule> operatorRules;
    private final Map<String, List<RoutingRule>> tenantRules;

    private RoutingSnapshot(Map<String, Deployment> byId, Map<String, Deployment> operatorDeployments,
            Map<String, Map<String, Deployment>> tenantDeployments, Map<String, Route> operatorRoutes,
            Map<String, Map<String, Route>> tenantRoutes, List<RoutingRule> operatorRules,
            Map<String, List<RoutingRule>> tenantRules) {
        this.byId = byId;
        this.operatorDeployments = operatorDeployments;
        this.tenantDeployments = tenantDeployments;
        this.operatorRoutes = operatorRoutes;
        this.tenantRoutes = tenantRoutes;
        this.operatorRules = operatorRules;
        this.tenantRules = tenantRules;
    }

    public static RoutingSnapshot empty() {
        return EMPTY;
    }

    /**
     * @throws IllegalArgumentException on a duplicate deployment id, deployment name per owner, or
     *                                  route model per owner
     */
    public static RoutingSnapshot of(Collection<Deployment> deployments, Collection<Route> routes,
            Collection<RoutingRule> rules) {
        Map<String, Deployment> byId = new LinkedHashMap<>();
        Map<String, Deployment> operatorDeployments = new TreeMap<>();
        Map<String, Map<String, Deployment>> tenantDeployments = new HashMap<>();
        for (Deployment d : deployments) {
            if (byId.putIfAbsent(d.id(), d) != null) {
                throw new IllegalArgumentException("deployment id listed twice: " + d.id());
            }
            Map<String, Deployment> owner = d.tenantId() == null ? operatorDeployments
                    : tenantDeployments.computeIfAbsent(d.tenantId(), t -> new TreeMap<>());
            if (owner.putIfAbsent(d.name(), d) != null) {
                throw new IllegalArgumentException("deployment name listed twice for "
                        + (d.tenantId() == null ? "the operator" : "tenant " + d.tenantId()) + ": " + d.name());
            }
        }
        Map<String, Route> operatorRoutes = new TreeMap<>();
        Map<String, Map<String, Route>> tenantRoutes = new HashMap<>();
        for (Route r : routes) {
            Map<String, Route> owner = r.tenantId() == null ? operatorRoutes
                    : tenantRoutes.computeIfAbsent(r.tenantId(), t -> new TreeMap<>());
            if (owner.putIfAbsent(r.model(), r) != null) {
                throw new IllegalArgumentException("route listed twice for "
                        + (r.tenantId() == null ? "the operator" : "tenant " + r.tenantId()) + ": " + r.model());
            }
        }
        List<RoutingRule> operatorRules = new ArrayList<>();
        Map<String, List<RoutingRule>> tenantRules = new HashMap<>();
        for (RoutingRule rule : rules) {
            (rule.tenantId() == null ? operatorRules : tenantRules.computeIfAbsent(rule.tenantId(), t -> new ArrayList<>()))
                    .add(rule);
        }
        operatorRules.sort(RoutingRule.ORDER);
        Map<String, List<RoutingRule>> frozenRules = new HashMap<>();
        tenantRules.forEach((t, list) -> {
            list.sort(RoutingRule.ORDER);
            frozenRules.put(t, List.copyOf(list));
        });
        Map<String, Map<String, Deployment>> frozenDeployments = new HashMap<>();
        tenantDeployments.forEach((t, m) -> frozenDeployments.put(t, Collections.unmodifiableMap(m)));
        Map<String, Map<String, Route>> frozenRoutes = new HashMap<>();
        tenantRoutes.forEach((t, m) -> frozenRoutes.put(t, Collections.unmodifiableMap(m)));
        return new RoutingSnapshot(Collections.unmodifiableMap(byId),
                Collections.unmodifiableMap(operatorDeployments), Map.copyOf(frozenDeployments),
                Collections.unmodifiableMap(operatorRoutes), Map.copyOf(frozenRoutes),
                List.copyOf(operatorRules), Map.copyOf(frozenRules));
    }

    /** The route a tenant's call to {@code model} uses: the tenant's own, else the operator's. */
    public Optional<Route> route(String tenantId, String model) {
        if (model == null) {
            return Optional.empty();
        }
        if (tenantId != null) {
            Route own = tenantRoutes.getOrDefault(tenantId, Map.of()).get(model);
            if (own != null) {
                return Optional.of(own);
            }
        }
        return Optional.ofNullable(operatorRoutes.get(model));
    }

    /**
     * The deployment a route's entry {@code name} means: in a tenant route the tenant's deployment
     * of that name, else the operator's; in an operator route the operator's only.
     */
    public Optional<Deployment> deploymentOf(Route route, String name) {
        if (route.tenantId() != null) {
            Deployment own = tenantDeployments.getOrDefault(route.tenantId(), Map.of()).get(name);
            if (own != null) {
                return Optional.of(own);
            }
        }
        return Optional.ofNullable(operatorDeployments.get(name));
    }

    public Optional<Deployment> deploymentById(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every deployment, of every owner. */
    public List<Deployment> deployments() {
        return List.copyOf(byId.values());
    }

    /** What a tenant can use: its own deployments, then the operator's ({@code null}: the operator's only). */
    public List<Deployment> deployments(String tenantId) {
        List<Deployment> out = new ArrayList<>();
        if (tenantId != null) {
            out.addAll(tenantDeployments.getOrDefault(tenantId, Map.of()).values());
        }
        out.addAll(operatorDeployments.values());
        return out;
    }

    /** The routes in effect for a tenant, by model: its own, and the operator's it does not override. */
    public List<Route> routes(String tenantId) {
        Map<String, Route> out = new TreeMap<>(operatorRoutes);
        if (tenantId != null) {
            out.putAll(tenantRoutes.getOrDefault(tenantId, Map.of()));
        }
        return List.copyOf(out.values());
    }

    /** The rules a tenant's call is evaluated against, in order: the tenant's, then the operator's. */
    public List<RoutingRule> rules(String tenantId) {
        List<RoutingRule> own = tenantId == null ? List.of() : tenantRules.getOrDefault(tenantId, List.of());
        if (own.isEmpty()) {
            return operatorRules;
        }
        List<RoutingRule> out = new ArrayList<>(own);
        out.addAll(operatorRules);
        return out;
    }

    public int deploymentCount() {
        return byId.size();
    }

    public int routeCount() {
        return operatorRoutes.size() + tenantRoutes.values().stream().mapToInt(Map::size).sum();
    }

    public int ruleCount() {
        return operatorRules.size() + tenantRules.values().stream().mapToInt(List::size).sum();
    }
}
