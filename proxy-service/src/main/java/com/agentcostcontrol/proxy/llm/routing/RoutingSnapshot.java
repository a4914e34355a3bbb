package com.agentcostcontrol.proxy.llm.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.agentcostcontrol.proxy.llm.Deployment;
import com.agentcostcontrol.proxy.llm.routing.RoutingRepository.RouteRow;

/**
 * An immutable view of deployments and routes. A tenant's own route or deployment of a name wins
 * over the operator-level one of the same name.
 */
public final class RoutingSnapshot {

    public static final RoutingSnapshot EMPTY = new RoutingSnapshot(List.of(), List.of());

    /** Key of an operator-level row in the maps below. */
    private static final UUID OPERATOR = new UUID(0, 0);

    private final Map<UUID, Map<String, Deployment>> deployments = new HashMap<>();
    private final Map<UUID, Map<String, RouteRow>> routes = new HashMap<>();

    public RoutingSnapshot(Collection<Deployment> deploymentList, Collection<RouteRow> routeList) {
        for (Deployment d : deploymentList) {
            deployments.computeIfAbsent(owner(d.tenantId()), k -> new HashMap<>()).put(d.name(), d);
        }
        for (RouteRow r : routeList) {
            routes.computeIfAbsent(owner(r.tenantId()), k -> new HashMap<>()).put(r.model(), r);
        }
    }

    private static UUID owner(UUID tenantId) {
        return tenantId == null ? OPERATOR : tenantId;
    }

    public RouteRow route(UUID tenantId, String model) {
        RouteRow own = tenantId == null ? null : routes.getOrDefault(tenantId, Map.of()).get(model);
        return own != null ? own : routes.getOrDefault(OPERATOR, Map.of()).get(model);
    }

    public Deployment deployment(UUID tenantId, String name) {
        Deployment own = tenantId == null ? null : deployments.getOrDefault(tenantId, Map.of()).get(name);
        return own != null ? own : deployments.getOrDefault(OPERATOR, Map.of()).get(name);
    }

    /** The deployments of a route in strategy order (unknown or disabled names are skipped). */
    public List<Deployment> ordered(UUID tenantId, RouteRow route) {
        List<Deployment> found = new ArrayList<>(route.deployments().size());
        for (String name : route.deployments()) {
            Deployment d = deployment(tenantId, name);
            if (d != null) {
                found.add(d);
            }
        }
        if ("weighted".equals(route.strategy()) && found.size() > 1) {
            return weightedOrder(found);
        }
        // priority: as listed. lowest-latency / lowest-cost need router-service's live health and
        // price ranking, which a later issue brings; until then they keep the listed order.
        return found;
    }

    /** Weighted random order without replacement: each pick proportional to the remaining weights. */
    static List<Deployment> weightedOrder(List<Deployment> in) {
        List<Deployment> pool = new ArrayList<>(in);
        List<Deployment> out = new ArrayList<>(in.size());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!pool.isEmpty()) {
            long total = 0;
            for (Deployment d : pool) {
                total += Math.max(1, d.weight());
            }
            long pick = random.nextLong(total);
            for (int i = 0; i < pool.size(); i++) {
                pick -= Math.max(1, pool.get(i).weight());
                if (pick < 0) {
                    out.add(pool.remove(i));
                    break;
                }
            }
        }
        return out;
    }

    /** Model names routed for this tenant (its own routes and the operator's). */
    public Set<String> routedModels(UUID tenantId) {
        Set<String> out = new LinkedHashSet<>(routes.getOrDefault(OPERATOR, Map.of()).keySet());
        if (tenantId != null) {
            out.addAll(routes.getOrDefault(tenantId, Map.of()).keySet());
        }
        return out;
    }
}
