package com.agentcostcontrol.proxy.llm.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.platform.crypto.CredentialCipher;
import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.llm.Deployment;
import com.agentcostcontrol.proxy.llm.routing.RoutingRepository.DeploymentRow;
import com.agentcostcontrol.proxy.llm.routing.RoutingRepository.RouteRow;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The proxy's in-process routing snapshot (DESIGN §1): loaded from Postgres with JDBC at start,
 * reloaded when router-service publishes on Redis channel {@value #CHANNEL} and every
 * {@code acc.proxy.routing.refresh-interval}; a failed load keeps the last good snapshot. Lookups
 * never touch the network.
 */
@ApplicationScoped
public class RoutingTable {

    public static final String CHANNEL = "acc:routing:changed";
    private static final Logger LOG = Logger.getLogger(RoutingTable.class);

    private final RoutingRepository repository;
    private final BuiltInDeployments builtIn;
    private final ReactiveRedisDataSource redis;
    private final Optional<CredentialCipher> cipher;
    private final AtomicBoolean reloadQueued = new AtomicBoolean();
    private volatile RoutingSnapshot snapshot = RoutingSnapshot.EMPTY;

    public RoutingTable(RoutingRepository repository, BuiltInDeployments builtIn, ReactiveRedisDataSource redis,
            ProxyConfig config) {
        this.repository = repository;
        this.builtIn = builtIn;
        this.redis = redis;
        this.cipher = config.secretKey().filter(k -> !k.isBlank()).map(CredentialCipher::fromBase64Key);
    }

    void onStart(@Observes StartupEvent event) {
        reload();
        redis.pubsub(String.class).subscribe(CHANNEL)
                .onFailure().invoke(e -> LOG.warnf("routing change subscription lost (%s); periodic reload covers it",
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(message -> reloadSoon());
    }

    /** Queues one reload on a worker thread; messages arriving meanwhile coalesce into it. */
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

    /** Loads a new snapshot; on failure the previous one stays in force. Returns whether it succeeded. */
    public synchronized boolean reload() {
        try {
            List<Deployment> deployments = new ArrayList<>();
            for (DeploymentRow row : repository.deployments()) {
                decrypt(row).ifPresent(deployments::add);
            }
            List<RouteRow> routes = repository.routes();
            snapshot = new RoutingSnapshot(deployments, routes);
            LOG.debugf("routing snapshot loaded: %d deployments, %d routes", deployments.size(), routes.size());
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("routing snapshot reload failed, keeping the last good one: %s", e.getMessage());
            return false;
        }
    }

    private Optional<Deployment> decrypt(DeploymentRow row) {
        String key = null;
        if (row.apiKeyCiphertext() != null && !row.apiKeyCiphertext().isBlank()) {
            if (cipher.isEmpty()) {
                LOG.warnf("deployment %s has a stored credential but ACC_SECRET_KEY is not set; skipped", row.name());
                return Optional.empty();
            }
            try {
                // Bound to the deployment id as associated data (router-service seals it that way).
                key = cipher.get().decrypt(row.apiKeyCiphertext(), row.id().toString());
            } catch (IllegalArgumentException e) {
                LOG.warnf("deployment %s: %s; skipped", row.name(), e.getMessage());
                return Optional.empty();
            }
        }
        return Optional.of(new Deployment(row.id(), row.tenantId(), row.name(), row.provider(), row.model(),
                row.baseUrl(), key, row.weight(), row.timeoutMs()));
    }

    /**
     * The ordered plan for {@code model} as seen by {@code tenantId}: the route's deployments, then
     * each fallback model's; with no route, the built-in deployment. Empty when nothing serves it.
     */
    public Optional<RoutePlan> plan(UUID tenantId, String model) {
        RoutingSnapshot s = snapshot;
        RouteRow route = s.route(tenantId, model);
        if (route == null) {
            return builtIn.resolve(model).map(d -> new RoutePlan(model, List.of(d), "built-in"));
        }
        List<Deployment> plan = new ArrayList<>(s.ordered(tenantId, route));
        for (String fallback : route.fallbacks()) {
            RouteRow fallbackRoute = s.route(tenantId, fallback);
            if (fallbackRoute != null) {
                plan.addAll(s.ordered(tenantId, fallbackRoute));
            } else {
                builtIn.resolve(fallback).ifPresent(plan::add);
            }
        }
        return plan.isEmpty() ? Optional.empty() : Optional.of(new RoutePlan(model, plan, "route"));
    }

    /** Every model name this tenant can reach: routed ones and the built-in listing. */
    public Set<String> models(UUID tenantId) {
        Set<String> out = new LinkedHashSet<>(snapshot.routedModels(tenantId));
        out.addAll(builtIn.listedModels());
        return out;
    }
}
