package com.agentcostcontrol.router.routing.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The planner's local, briefly cached view of the shared deployment health. {@link #status}
 * never waits: it answers from the cache and, when the entry is older than the TTL, refreshes it
 * in the background (one read in flight per deployment). A deployment seen for the first time is
 * reported {@linkplain DeploymentStatus#unknown unknown} (healthy) while its first read runs.
 * Outcomes this process records through the same {@link DeploymentHealth} update the view at once.
 * When Redis cannot be read the last known status stays in use (a failed refresh keeps it).
 */
public final class HealthView implements HealthSource {

    private final AsyncLoadingCache<String, DeploymentStatus> cache;

    /**
     * @param ttl how stale a status may get before a background refresh (e.g. 1 s)
     */
    public HealthView(DeploymentHealth health, Duration ttl) {
        this(health, ttl, Duration.ofSeconds(2));
    }

    /**
     * @param ttl         how stale a status may get before a background refresh
     * @param readTimeout a read that takes longer fails (the previous status stays)
     */
    public HealthView(DeploymentHealth health, Duration ttl, Duration readTimeout) {
        long idleMillis = Math.max(ttl.toMillis() * 60, Duration.ofMinutes(10).toMillis());
        this.cache = Caffeine.newBuilder()
                .refreshAfterWrite(ttl)
                .expireAfterAccess(idleMillis, TimeUnit.MILLISECONDS)
                .maximumSize(100_000)
                .buildAsync((String id, java.util.concurrent.Executor executor) -> health.status(id)
                        .toCompletableFuture().orTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS));
        health.addListener(status -> cache.put(status.deploymentId(), CompletableFuture.completedFuture(status)));
    }

    @Override
    public DeploymentStatus status(String deploymentId) {
        CompletableFuture<DeploymentStatus> f = cache.get(deploymentId);
        if (f.isDone() && !f.isCompletedExceptionally()) {
            DeploymentStatus s = f.getNow(null);
            if (s != null) {
                return s;
            }
        }
        return DeploymentStatus.unknown(deploymentId);
    }

    /** Forgets a deployment's cached status (the next {@link #status} reads it again). */
    public void invalidate(String deploymentId) {
        cache.synchronous().invalidate(deploymentId);
    }
}
