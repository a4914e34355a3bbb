package com.agentcostcontrol.router.planning;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.agentcostcontrol.router.routing.Deployment;
import com.agentcostcontrol.router.routing.health.DeploymentStatus;

/**
 * {@code GET /v1/routing/health}: the shared health of every deployment the caller's tenant can
 * use (its own and the operator's, plus the built-in mock deployments), read from Redis now.
 * Operators and services without {@code tenantId} see every tenant's deployments. 503 when Redis
 * does not answer.
 */
@Path("/v1/routing/health")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentHealthResource {

    public record Answer(String tenantId, List<DeploymentHealthView> deployments, Instant at) {
    }

    /**
     * @param state               healthy, cooling-down or half-open
     * @param coolingDownUntil    end of the cooldown (also shown while half-open: when it ended); null when healthy
     * @param cause               failures, retry-after or probe-failed; null when healthy
     * @param consecutiveFailures counted failures in a row within the failure window
     * @param cooldowns           cooldowns started since the deployment's health was first recorded
     * @param probeInFlight       a half-open probe is running
     * @param lastFailure         the last failure (kind and time), null when none
     * @param lastSuccessAt       time of the last success
     * @param ewmaLatencyMs       EWMA latency of successful attempts over every proxy, null before any
     * @param rateLimit           the provider's last reported headroom, null when none is current
     */
    public record DeploymentHealthView(String id, String name, String tenantId, String provider, String model,
            boolean enabled, String state, Instant coolingDownUntil, String cause, int consecutiveFailures, long cooldowns,
            boolean probeInFlight, Failure lastFailure, Instant lastSuccessAt, Double ewmaLatencyMs, RateLimit rateLimit) {
    }

    public record Failure(String kind, Instant at) {
    }

    public record RateLimit(Long remainingRequests, Instant requestsResetAt, Long remainingTokens, Instant tokensResetAt) {
    }

    private final PlanningService planning;
    private final RequestIdentity identity;

    public DeploymentHealthResource(PlanningService planning, RequestIdentity identity) {
        this.planning = planning;
        this.identity = identity;
    }

    @GET
    public Answer health(@QueryParam("tenantId") String tenantId) {
        String tenant = CallerTenant.resolve(identity, tenantId);
        List<Deployment> deployments = planning.deploymentsOf(tenant, CallerTenant.seesEveryTenant(identity, tenant));
        Map<String, DeploymentStatus> statuses = planning.statuses(deployments.stream().map(Deployment::id).toList());
        Instant now = Instant.now();
        return new Answer(tenant, deployments.stream().map(d -> view(d, statuses.get(d.id()), now)).toList(), now);
    }

    static DeploymentHealthView view(Deployment d, DeploymentStatus s, Instant now) {
        DeploymentStatus status = s == null ? DeploymentStatus.unknown(d.id()) : s;
        Long requests = status.remainingRequests(now);
        Long tokens = status.remainingTokens(now);
        RateLimit rateLimit = requests == null && tokens == null ? null
                : new RateLimit(requests, requests == null ? null : status.requestsResetAt(), tokens,
                        tokens == null ? null : status.tokensResetAt());
        return new DeploymentHealthView(d.id(), d.name(), d.tenantId(), d.provider(), d.model(), d.enabled(),
                status.state(now).wireName(), status.cooldownEndsAt(), status.cause(), status.consecutiveFailures(),
                status.cooldowns(), status.probeInFlight(now),
                status.lastFailureKind() == null ? null : new Failure(status.lastFailureKind(), status.lastFailureAt()),
                status.lastSuccessAt(), status.ewmaLatencyMs(), rateLimit);
    }
}
