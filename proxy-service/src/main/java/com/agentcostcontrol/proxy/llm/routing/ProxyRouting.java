package com.agentcostcontrol.proxy.llm.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.redis.HotPathRedis;
import com.agentcostcontrol.proxy.llm.usage.Prices;
import com.agentcostcontrol.router.routing.AttemptRecorder;
import com.agentcostcontrol.router.routing.Deployment;
import com.agentcostcontrol.router.routing.PlanRequest;
import com.agentcostcontrol.router.routing.PlannerSettings;
import com.agentcostcontrol.router.routing.Route;
import com.agentcostcontrol.router.routing.RoutePlan;
import com.agentcostcontrol.router.routing.RoutePlanner;
import com.agentcostcontrol.router.routing.RoutingSnapshot;
import com.agentcostcontrol.router.routing.RoutingSnapshotHolder;
import com.agentcostcontrol.router.routing.RoutingSnapshotLoader;
import com.agentcostcontrol.router.routing.RoutePlan.Attempt;
import com.agentcostcontrol.router.routing.health.DeploymentHealth;
import com.agentcostcontrol.router.routing.health.DeploymentStatus;
import com.agentcostcontrol.router.routing.health.HealthState;
import com.agentcostcontrol.router.routing.health.RateLimitInfo;
import com.agentcostcontrol.router.routing.health.HealthSettings;
import com.agentcostcontrol.router.routing.health.HealthView;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The proxy's routing engines (docs/ROUTING.md section 7), built once: the routing snapshot
 * (routing-core, JDBC; loaded at start, on every {@value #CHANNEL} message — coalesced, on a worker
 * thread — and every {@code acc.proxy.routing.refresh-interval}; a failed load keeps the last good
 * one), shared deployment health on the proxy's Redis ({@link DeploymentHealth}) seen through a
 * briefly cached {@link HealthView}, the {@link RoutePlanner} and the {@link AttemptRecorder}.
 * Planning never touches the network.
 */
@ApplicationScoped
public class ProxyRouting {

    /** Where router-service announces deployment, route and rule changes. */
    public static final String CHANNEL = "acc:routing:changed";
    private static final Logger LOG = Logger.getLogger(ProxyRouting.class);

    private final RoutingSnapshotHolder holder;
    private final ReactiveRedisDataSource redis;
    private final BuiltinProviders builtins;
    private final DeploymentHealth health;
    private final HealthView view;
    private final RoutePlanner planner;
    private final AttemptRecorder recorder;
    private final AtomicBoolean reloadQueued = new AtomicBoolean();
    private final long successWriteEveryNanos;
    private final ConcurrentHashMap<String, Long> lastSuccessWrite = new ConcurrentHashMap<>();
    private int lastRejected = -1;

    @Inject
    public ProxyRouting(DataSource dataSource, Prices prices, BuiltinProviders builtins, ReactiveRedisDataSource redis,
            HotPathRedis hotPath, ProxyConfig config) {
        this.holder = new RoutingSnapshotHolder(new RoutingSnapshotLoader(dataSource));
        this.redis = redis;
        this.builtins = builtins;
        ProxyConfig.Routing r = config.routing();
        this.health = new DeploymentHealth(hotPath.executor(),
                healthSettings(r.health()));
        this.view = new HealthView(health, r.health().viewTtl());
        PlannerSettings.CooledDown cooledDown = PlannerSettings.CooledDown.parse(r.cooledDown())
                .orElseThrow(() -> new IllegalArgumentException("acc.proxy.routing.cooled-down must be demote or skip, got '"
                        + r.cooledDown() + "'"));
        PlannerSettings settings = new PlannerSettings(r.maxAttempts(), cooledDown, r.rateLimitHeadroomRequests(),
                r.health().latencyAlpha(), Clock.systemUTC());
        this.planner = new RoutePlanner(holder::current, prices::catalog, builtins, view, settings);
        this.recorder = new AttemptRecorder(planner, health);
        this.successWriteEveryNanos = r.health().successWriteInterval().toNanos();
    }

    static HealthSettings healthSettings(ProxyConfig.Routing.Health h) {
        return new HealthSettings(h.failureThreshold(), h.failureWindow(), h.baseCooldown(), h.cooldownMultiplier(),
                h.maxCooldown(), h.maxRetryAfter(), h.probeLease(), h.latencyAlpha(), h.idleTtl(),
                h.rateLimitDefaultReset());
    }

    void onStart(@Observes StartupEvent event) {
        reload();
        LOG.infof("routing: built-in providers %s", builtins.enabledFamilies());
        redis.pubsub(String.class).subscribe(CHANNEL)
                .onFailure().invoke(e -> LOG.warnf("routing change subscription lost (%s); the periodic reload covers it",
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(message -> reloadSoon());
    }

    /** Queues one reload on a worker thread (it is JDBC); messages arriving meanwhile coalesce into it. */
    public void reloadSoon() {
        if (reloadQueued.compareAndSet(false, true)) {
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                reloadQueued.set(false);
                reload();
            });
        }
    }

    @Scheduled(every = "${acc.proxy.routing.refresh-interval:30s}", delayed = "${acc.proxy.routing.refresh-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodicReload() {
        reload();
    }

    /** Loads a new snapshot now; on failure the previous one stays. Returns whether it succeeded. */
    public boolean reload() {
        RoutingSnapshotHolder.ReloadResult result = holder.reload();
        if (!result.succeeded()) {
            LOG.warnf("routing snapshot reload failed, keeping the last good one: %s", result.error());
            return false;
        }
        if (!result.rejected().isEmpty() && result.rejected().size() != lastRejected) {
            LOG.warnf("routing snapshot: %d rows skipped: %s", result.rejected().size(), result.rejected());
        }
        lastRejected = result.rejected().size();
        LOG.debugf("routing snapshot loaded: %d deployments, %d routes, %d rules", result.deployments(), result.routes(),
                result.rules());
        return true;
    }

    public RoutePlan plan(PlanRequest request) {
        return planner.plan(request);
    }

    /**
     * Records an answered attempt. A success that changes nothing about a healthy deployment (no
     * failure run to reset, no probe, no cooldown to close) is written to Redis at most every
     * {@code acc.proxy.routing.health.success-write-interval} per deployment, with its latency and
     * rate-limit headers: at thousands of calls per second a write per call would double the proxy's
     * Redis traffic for no change. This proxy's own latency tracker still sees every answer. Every
     * other outcome is written at once (fire-and-forget).
     */
    public void succeeded(Attempt attempt, Duration latency, RateLimitInfo limits) {
        String id = attempt.deploymentId();
        DeploymentStatus s = view.status(id);
        if (!attempt.probe() && s.consecutiveFailures() == 0 && s.state(Clock.systemUTC().instant()) == HealthState.HEALTHY
                && !writeDue(id)) {
            planner.recordLatency(id, latency);
            return;
        }
        recorder.succeeded(attempt, latency, limits);
    }

    private boolean writeDue(String id) {
        long now = System.nanoTime();
        Long last = lastSuccessWrite.get(id);
        if (last != null && now - last < successWriteEveryNanos) {
            return false;
        }
        return last == null ? lastSuccessWrite.putIfAbsent(id, now) == null : lastSuccessWrite.replace(id, last, now);
    }

    public AttemptRecorder recorder() {
        return recorder;
    }

    public DeploymentHealth health() {
        return health;
    }

    public RoutingSnapshot snapshot() {
        return holder.current();
    }

    /** Every model name a tenant's calls can reach by a route (its own and the operator's), plus the listed built-ins. */
    public Set<String> models(String tenantId) {
        Set<String> out = new LinkedHashSet<>();
        for (Route route : holder.current().routes(tenantId)) {
            out.add(route.model());
        }
        out.addAll(builtins.listedModels());
        return out;
    }

    /** Whether something serves {@code model} for this tenant (a route, or a built-in deployment). */
    public boolean serves(String tenantId, String model) {
        return first(tenantId, model).isPresent();
    }

    /** The provider of the first deployment serving {@code model} (for the model listing's {@code owned_by}). */
    public Optional<String> ownerOf(String tenantId, String model) {
        return first(tenantId, model).map(Deployment::provider);
    }

    private Optional<Deployment> first(String tenantId, String model) {
        RoutingSnapshot s = holder.current();
        Optional<Route> route = s.route(tenantId, model);
        if (route.isPresent()) {
            for (String name : route.get().deployments()) {
                Optional<Deployment> d = s.deploymentOf(route.get(), name);
                if (d.isPresent() && d.get().enabled()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        List<Deployment> b = builtins.resolve(model);
        return b.isEmpty() ? Optional.empty() : Optional.of(b.get(0));
    }
}
