package com.agentcostcontrol.router.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import com.agentcostcontrol.router.routing.RoutePlan.Attempt;
import com.agentcostcontrol.router.routing.health.DeploymentHealth;
import com.agentcostcontrol.router.routing.health.FailureKind;
import com.agentcostcontrol.router.routing.health.HealthUpdate;
import com.agentcostcontrol.router.routing.health.RateLimitInfo;

/**
 * What an executor of a {@link RoutePlan} (the proxy) tells routing about each attempt, in one
 * place: the half-open probe gate before the call, then the outcome with its latency and the
 * provider's rate-limit headers. Health is best effort: when Redis fails, a probe is let through
 * (the call itself is the better test) and a lost outcome only delays a cooldown; neither ever
 * fails the client's call.
 */
public final class AttemptRecorder {

    private final RoutePlanner planner;
    private final DeploymentHealth health;

    public AttemptRecorder(RoutePlanner planner, DeploymentHealth health) {
        this.planner = planner;
        this.health = health;
    }

    /**
     * The probe gate's answer for one attempt.
     *
     * @param mayCall whether to send the attempt now
     * @param freeAt  when it may not: when the deployment is expected to take calls again (the other
     *                caller's probe lease ends, or the renewed cooldown ends); {@code null} when unknown
     */
    public record Gate(boolean mayCall, Instant freeAt) {
        /** Send the attempt (also the answer when health cannot be asked: the call itself is the better test). */
        public static final Gate OPEN = new Gate(true, null);
    }

    /**
     * Whether to send this attempt now. Always yes unless the attempt is a half-open probe and another
     * caller holds the probe slot (or the deployment went back to cooling down): then skip to the next
     * attempt, and {@link Gate#freeAt()} says when the deployment should be free again (the end of the
     * other caller's probe lease, or of the cooldown). The slot is held for the attempt's timeout at most.
     */
    public CompletionStage<Gate> gate(Attempt attempt) {
        if (!attempt.probe()) {
            return CompletableFuture.completedFuture(Gate.OPEN);
        }
        try {
            return health.tryAcquireProbe(attempt.deploymentId(), Duration.ofMillis(attempt.deployment().timeoutMs()))
                    .thenApply(AttemptRecorder::gateOf)
                    .exceptionally(e -> Gate.OPEN);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Gate.OPEN);
        }
    }

    private static Gate gateOf(HealthUpdate update) {
        if (update.mayCall()) {
            return Gate.OPEN;
        }
        Instant freeAt = update.result() == HealthUpdate.Result.BUSY ? update.status().probeLeaseEndsAt()
                : update.status().cooldownEndsAt();
        return new Gate(false, freeAt);
    }

    /**
     * The attempt answered: a complete non-streamed answer, or a stream's first byte.
     *
     * @param latency time from sending the request to that answer / first byte
     * @param limits  {@link com.agentcostcontrol.router.routing.health.RateLimitHeaders#parse} of the response headers
     */
    public CompletionStage<HealthUpdate> succeeded(Attempt attempt, Duration latency, RateLimitInfo limits) {
        planner.recordLatency(attempt.deploymentId(), latency);
        return quietly(() -> health.recordSuccess(attempt.deploymentId(), latency, limits));
    }

    /**
     * The attempt failed in a way that falls back to the next attempt ({@link FailureKind}).
     *
     * @param limits the response's rate-limit headers, including any {@code Retry-After}; {@link RateLimitInfo#NONE}
     *               when there was no response (timeout, connection error)
     */
    public CompletionStage<HealthUpdate> failed(Attempt attempt, FailureKind kind, RateLimitInfo limits) {
        return quietly(() -> health.recordFailure(attempt.deploymentId(), kind, limits));
    }

    /** A granted probe that was not sent after all (client gone before the call). */
    public CompletionStage<HealthUpdate> abandoned(Attempt attempt) {
        return attempt.probe() ? quietly(() -> health.releaseProbe(attempt.deploymentId()))
                : CompletableFuture.completedFuture(null);
    }

    private static CompletionStage<HealthUpdate> quietly(Supplier<CompletionStage<HealthUpdate>> call) {
        try {
            return call.get().exceptionally(e -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
