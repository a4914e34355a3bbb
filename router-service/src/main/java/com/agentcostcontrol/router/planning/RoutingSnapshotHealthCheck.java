package com.agentcostcontrol.router.planning;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once a routing snapshot has loaded: without it fallback chains and plans would show nothing. */
@Readiness
@ApplicationScoped
public class RoutingSnapshotHealthCheck implements HealthCheck {

    private final PlanningService planning;

    public RoutingSnapshotHealthCheck(PlanningService planning) {
        this.planning = planning;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("Routing snapshot").status(planning.ready())
                .withData("deployments", planning.snapshot().deploymentCount())
                .withData("routes", planning.snapshot().routeCount())
                .withData("rules", planning.snapshot().ruleCount());
        planning.lastReload().filter(r -> !r.succeeded()).ifPresent(r -> b.withData("lastError", r.error()));
        return b.build();
    }
}
