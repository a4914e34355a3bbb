package com.agentcostcontrol.router.routing.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
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
        long timeout = readTimeout.toMillis();
        this.cache = Caffeine.newBuilder()
                .refreshAfterWrite(ttl)
                .expireAfterAccess(idleMillis, TimeUnit.MILLISECONDS)
                .maximumSize(100_000)
                .buildAsync(new AsyncCacheLoader<String, DeploymentStatus>() {
                    // Neither load fails: an unreadable Redis leaves "unknown" (healthy) or the last
                    // known status in place, without a warning per refresh (Redis health is watched elsewhere).
                    @Override
                    public CompletableFuture<DeploymentStatus> asyncLoad(String id, Executor executor) {
                        return read(health, id, timeout).exceptionally(e -> DeploymentStatus.unknown(id));
                    }

                    @Override
                    public CompletableFuture<DeploymentStatus> asyncReload(String id, DeploymentStatus old, Executor executor) {
                        return read(health, id, timeout).exceptionally(e -> old);
                    }
                });
        health.addListener(status -> cache.put(status.deploymentId(), CompletableFuture.completedFuture(status)));
    }

    private static CompletableFuture<DeploymentStatus> read(DeploymentHealth health, String id, long timeoutMillis) {
        return health.status(id).toCompletableFuture().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
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
