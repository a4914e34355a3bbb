package com.agentcostcontrol.router.planning;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.agentcostcontrol.router.routing.Deployment;
import com.agentcostcontrol.router.routing.Route;
import com.agentcostcontrol.router.routing.RoutingSnapshot;

/**
 * {@code GET /v1/routing/fallback-chains}: every route in effect for the caller's tenant (its own
 * routes, and the operator's it does not override) with its full chain: the route's deployments,
 * then each fallback model with the deployments it expands to (its own route, or the built-ins).
 * This is the configuration; the order within a link is decided per call by the strategy and
 * health (see {@code POST /v1/routing/plan}).
 */
@Path("/v1/routing/fallback-chains")
@Produces(MediaType.APPLICATION_JSON)
public class FallbackChainResource {

    public record Answer(String tenantId, List<Chain> chains) {
    }

    /** One route and its chain. {@code source}: tenant-route or operator-route. */
    public record Chain(String model, String source, String strategy, List<Link> chain) {
    }

    /**
     * One model of a chain: the route's own model (fallbackIndex 0) or its n-th fallback.
     *
     * @param source       tenant-route, operator-route, built-in, or none (nothing serves it: the
     *                     chain ends there for this link)
     * @param strategy     the link's route strategy ({@code null} for built-ins)
     * @param deployments  what the link expands to, in configured order
     * @param missing      deployment names the route lists that do not exist
     */
    public record Link(String model, int fallbackIndex, String source, String strategy, List<DeploymentRef> deployments,
            List<String> missing) {
    }

    public record DeploymentRef(String id, String name, String provider, String model, int weight, boolean enabled,
            String tenantId) {
    }

    private final PlanningService planning;
    private final RequestIdentity identity;

    public FallbackChainResource(PlanningService planning, RequestIdentity identity) {
        this.planning = planning;
        this.identity = identity;
    }

    /**
     * @param tenantId whose chains to show (operators and services; without it they see the operator level)
     */
    @GET
    public Answer chains(@QueryParam("tenantId") String tenantId) {
        String tenant = CallerTenant.resolve(identity, tenantId);
        RoutingSnapshot s = planning.snapshot();
        List<Chain> chains = new ArrayList<>();
        for (Route route : s.routes(tenant)) {
            List<Link> links = new ArrayList<>();
            links.add(link(s, tenant, route.model(), 0));
            for (int i = 0; i < route.fallbacks().size(); i++) {
                links.add(link(s, tenant, route.fallbacks().get(i), i + 1));
            }
            chains.add(new Chain(route.model(), source(route), route.strategy().wireName(), links));
        }
        return new Answer(tenant, chains);
    }

    private Link link(RoutingSnapshot s, String tenant, String model, int index) {
        Route route = s.route(tenant, model).orElse(null);
        if (route == null) {
            List<DeploymentRef> builtins = planning.builtins().resolve(model).stream().map(FallbackChainResource::ref).toList();
            return new Link(model, index, builtins.isEmpty() ? "none" : "built-in", null, builtins, List.of());
        }
        List<DeploymentRef> deployments = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : route.deployments()) {
            s.deploymentOf(route, name).ifPresentOrElse(d -> deployments.add(ref(d)), () -> missing.add(name));
        }
        return new Link(model, index, source(route), route.strategy().wireName(), deployments, missing);
    }

    private static String source(Route route) {
        return route.isOperatorLevel() ? "operator-route" : "tenant-route";
    }

    private static DeploymentRef ref(Deployment d) {
        return new DeploymentRef(d.id(), d.name(), d.provider(), d.model(), d.weight(), d.enabled(), d.tenantId());
    }
}
