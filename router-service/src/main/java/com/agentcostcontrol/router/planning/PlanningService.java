package com.agentcostcontrol.router.planning;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.router.config.RouterConfig;
import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.router.catalog.CatalogService;
import com.agentcostcontrol.router.pricing.PriceCatalog;
import com.agentcostcontrol.router.routing.BuiltinDeployments;
import com.agentcostcontrol.router.routing.Deployment;
import com.agentcostcontrol.router.routing.PlanRequest;
import com.agentcostcontrol.router.routing.PlannerSettings;
import com.agentcostcontrol.router.routing.Route;
import com.agentcostcontrol.router.routing.RoutePlan;
import com.agentcostcontrol.router.routing.RoutePlanner;
import com.agentcostcontrol.router.routing.RoutingSnapshot;
import com.agentcostcontrol.router.routing.RoutingSnapshotHolder;
import com.agentcostcontrol.router.routing.RoutingSnapshotHolder.ReloadResult;
import com.agentcostcontrol.router.routing.RoutingSnapshotLoader;
import com.agentcostcontrol.router.routing.health.DeploymentHealth;
import com.agentcostcontrol.router.routing.health.DeploymentStatus;
import com.agentcostcontrol.router.routing.health.HealthSettings;
import com.agentcostcontrol.router.routing.health.HealthSource;
import com.agentcostcontrol.platform.redis.vertx.VertxRedisScriptExecutor;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;

/**
 * router-service's view of routing: the routing snapshot (loaded at start, on every
 * {@value #CHANNEL} message and every {@link RouterConfig.Routing#refresh()}; the last good one kept on
 * failure), dry-run planning with the same {@link RoutePlanner} the proxy runs, and reads of the
 * shared deployment health. Unlike the proxy, which plans from a cached health view, a dry run
 * reads the current health of the deployments involved first: it is not on a hot path.
 */
@ApplicationScoped
public class PlanningService {

    /** Where router-service (deployments, routes, rules) announces routing changes. */
    public static final String CHANNEL = "acc:routing:changed";

    private static final Logger LOG = Logger.getLogger(PlanningService.class);
    private static final Map<String, String> PROVIDER_KEYS = Map.of(
            "openai", "OPENAI_API_KEY", "anthropic", "ANTHROPIC_API_KEY", "openrouter", "OPENROUTER_API_KEY",
            "groq", "GROQ_API_KEY", "deepseek", "DEEPSEEK_API_KEY", "mistral", "MISTRAL_API_KEY", "xai", "XAI_API_KEY",
            "gemini", "GEMINI_API_KEY");

    private final RoutingSnapshotHolder holder;
    private final CatalogService catalog;
    private final RouterConfig.Routing config;
    private final ReactiveRedisDataSource redis;
    private final DeploymentHealth health;
    private final PlannerSettings plannerSettings;
    private final BuiltinDeployments builtins;
    private final Set<String> builtinProviders;
    private final AtomicBoolean reloadQueued = new AtomicBoolean();
    private ScheduledExecutorService scheduler;
    private int lastRejected = -1;

    public PlanningService(DataSource dataSource, CatalogService catalog, RouterConfig config,
            ReactiveRedisDataSource redis) {
        this.holder = new RoutingSnapshotHolder(new RoutingSnapshotLoader(dataSource));
        this.catalog = catalog;
        this.config = config.routing();
        this.redis = redis;
        HealthSettings healthSettings = HealthSettings.defaults().withFailureWindow(this.config.failureWindow());
        this.health = new DeploymentHealth(new VertxRedisScriptExecutor(redis.getRedis().getDelegate()), healthSettings);
        PlannerSettings.CooledDown cooledDown = PlannerSettings.CooledDown.parse(this.config.cooledDown())
                .orElseThrow(() -> new IllegalArgumentException("acc.router.routing.cooled-down must be demote or skip, got '"
                        + this.config.cooledDown() + "'"));
        this.plannerSettings = new PlannerSettings(this.config.maxAttempts(), cooledDown, this.config.rateLimitHeadroomRequests(),
                0.3, Clock.systemUTC());
        this.builtinProviders = builtinProviders(this.config.builtinProviders());
        this.builtins = BuiltinDeployments.fromCatalog(catalog::catalog, builtinProviders,
                (int) Math.min(Integer.MAX_VALUE, this.config.builtinTimeout().toMillis()));
    }

    void onStart(@Observes StartupEvent event) {
        reload();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acc-routing-snapshot-refresh");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, config.refresh().toMillis());
        scheduler.scheduleWithFixedDelay(this::reloadQuietly, every, every, TimeUnit.MILLISECONDS);
        redis.pubsub(String.class).subscribe(CHANNEL)
                .onFailure().invoke(e -> LOG.warnf("routing change subscription lost (%s); the periodic reload covers it",
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(message -> reloadSoon());
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** The routing snapshot in use. */
    public RoutingSnapshot snapshot() {
        return holder.current();
    }

    public boolean ready() {
        return holder.hasSnapshot();
    }

    public Optional<ReloadResult> lastReload() {
        return holder.lastReload();
    }

    public DeploymentHealth health() {
        return health;
    }

    public BuiltinDeployments builtins() {
        return builtins;
    }

    /** The provider families built-in deployments are planned at. */
    public Set<String> builtinProviders() {
        return builtinProviders;
    }

    /** The price catalog; 503 until it has loaded (nothing can be priced or filtered without it). */
    public PriceCatalog catalog() {
        if (!catalog.ready()) {
            throw new ApiException(503, "unavailable", "the price catalog is not loaded yet; retry in a few seconds", null);
        }
        return catalog.catalog();
    }

    /** A dry-run plan and whether the deployments' health could be read for it. */
    public record DryRun(RoutePlan plan, boolean healthKnown) {
    }

    /** Plans like the proxy would, with the current health of every deployment that can take part. */
    public DryRun plan(PlanRequest request) {
        RoutingSnapshot s = snapshot();
        PriceCatalog c = catalog();
        Set<String> ids = new LinkedHashSet<>();
        s.deployments(request.tenantId()).forEach(d -> ids.add(d.id()));
        for (String model : modelsInvolved(s, request)) {
            builtins.resolve(model).forEach(d -> ids.add(d.id()));
        }
        Optional<Map<String, DeploymentStatus>> statuses = readStatuses(ids);
        HealthSource source = statuses.<HealthSource>map(m -> id -> m.getOrDefault(id, DeploymentStatus.unknown(id)))
                .orElse(HealthSource.NONE);
        RoutePlanner planner = new RoutePlanner(() -> s, () -> c, builtins, source, plannerSettings);
        return new DryRun(planner.plan(request), statuses.isPresent());
    }

    /**
     * The current health of these deployments, or 503 when Redis does not answer within
     * {@link RouterConfig.Routing#redisTimeout()}.
     */
    public Map<String, DeploymentStatus> statuses(Collection<String> deploymentIds) {
        return readStatuses(deploymentIds).orElseThrow(() -> new ApiException(503, "unavailable",
                "deployment health cannot be read from Redis right now; retry in a few seconds", null));
    }

    /** The deployments whose health the health API and metrics show for a tenant ({@code null}: all of them). */
    public List<Deployment> deploymentsOf(String tenantId, boolean everyTenant) {
        RoutingSnapshot s = snapshot();
        List<Deployment> out = new ArrayList<>(everyTenant ? s.deployments() : s.deployments(tenantId));
        for (String model : BuiltinDeployments.MOCK_MODELS) {
            out.addAll(builtins.resolve(model));
        }
        return out;
    }

    private Optional<Map<String, DeploymentStatus>> readStatuses(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Optional.of(Map.of());
        }
        try {
            return Optional.of(health.statuses(ids).toCompletableFuture()
                    .get(config.redisTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            LOG.warnf("deployment health unavailable: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /** The requested model, every rule target, and the fallbacks of their routes. */
    private static Set<String> modelsInvolved(RoutingSnapshot s, PlanRequest request) {
        Set<String> models = new TreeSet<>();
        models.add(request.model());
        s.rules(request.tenantId()).forEach(r -> {
            if (r.targetModel() != null) {
                models.add(r.targetModel());
            }
        });
        for (String m : List.copyOf(models)) {
            s.route(request.tenantId(), m).map(Route::fallbacks).ifPresent(models::addAll);
        }
        return models;
    }

    /** Queues one reload off the event loop; messages arriving meanwhile coalesce into it. */
    public void reloadSoon() {
        if (scheduler != null && reloadQueued.compareAndSet(false, true)) {
            scheduler.execute(() -> {
                reloadQueued.set(false);
                reloadQuietly();
            });
        }
    }

    /** Reloads now and logs what changed. */
    public synchronized ReloadResult reload() {
        ReloadResult r = holder.reload();
        switch (r.outcome()) {
            case LOADED -> {
                if (r.rejected().size() != lastRejected) {
                    r.rejected().forEach(line -> LOG.warnf("routing row rejected: %s", line));
                    lastRejected = r.rejected().size();
                }
                LOG.debugf("routing snapshot loaded: %d deployments, %d routes, %d rules", r.deployments(), r.routes(),
                        r.rules());
            }
            case FAILED_KEPT_PREVIOUS -> LOG.errorf("routing snapshot reload failed, keeping the last good one: %s", r.error());
            case FAILED_NO_SNAPSHOT -> LOG.errorf("routing snapshot could not be loaded (will retry): %s", r.error());
        }
        return r;
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.error("routing snapshot refresh failed unexpectedly", e);
        }
    }

    private static Set<String> builtinProviders(Optional<List<String>> configured) {
        Set<String> out = new TreeSet<>();
        if (configured.isPresent()) {
            configured.get().stream().map(p -> p.trim().toLowerCase(Locale.ROOT)).filter(p -> !p.isEmpty()).forEach(out::add);
            return Set.copyOf(out);
        }
        out.add(Deployment.PROVIDER_MOCK);
        PROVIDER_KEYS.forEach((provider, env) -> {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                out.add(provider);
            }
        });
        return Set.copyOf(out);
    }
}
