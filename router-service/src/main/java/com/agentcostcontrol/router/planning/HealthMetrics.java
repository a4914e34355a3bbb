package com.agentcostcontrol.router.planning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.router.config.RouterConfig;
import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.router.routing.Deployment;
import com.agentcostcontrol.router.routing.health.DeploymentStatus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;

/**
 * Deployment health as Prometheus metrics, refreshed from Redis every
 * {@link RouterConfig.Routing#metricsRefresh()}:
 * <ul>
 * <li>{@code acc_router_deployment_state{deployment, deployment_id, tenant}}: 0 healthy, 1 half-open,
 *     2 cooling down (deleted deployments drop out);</li>
 * <li>{@code acc_router_deployment_cooldowns_total{deployment, deployment_id, tenant}}: cooldowns
 *     started, as counted in Redis by every proxy (increments between two refreshes are added).</li>
 * </ul>
 */
@ApplicationScoped
public class HealthMetrics {

    private static final Logger LOG = Logger.getLogger(HealthMetrics.class);

    private final PlanningService planning;
    private final RouterConfig.Routing config;
    private final MeterRegistry registry;
    private final Map<String, Long> cooldownsSeen = new HashMap<>();
    private MultiGauge state;
    private ScheduledExecutorService scheduler;

    public HealthMetrics(PlanningService planning, RouterConfig config, MeterRegistry registry) {
        this.planning = planning;
        this.config = config.routing();
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        state = MultiGauge.builder("acc.router.deployment.state")
                .description("Deployment health: 0 healthy, 1 half-open, 2 cooling down").register(registry);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acc-routing-health-metrics");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, config.metricsRefresh().toMillis());
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, Math.min(every, 1_000), every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Reads every deployment's health now and updates the metrics. */
    public synchronized void refresh() {
        List<Deployment> deployments = planning.deploymentsOf(null, true);
        Map<String, DeploymentStatus> statuses = planning.statuses(deployments.stream().map(Deployment::id).toList());
        Instant now = Instant.now();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Deployment d : deployments) {
            DeploymentStatus s = statuses.getOrDefault(d.id(), DeploymentStatus.unknown(d.id()));
            Tags tags = Tags.of("deployment", d.name(), "deployment_id", d.id(), "tenant",
                    d.tenantId() == null ? "operator" : d.tenantId());
            rows.add(MultiGauge.Row.of(tags, s.state(now).gaugeValue()));
            long seen = cooldownsSeen.getOrDefault(d.id(), 0L);
            long total = s.cooldowns();
            // Redis counts may restart (key expired, data lost): then everything counted since is new.
            long delta = total >= seen ? total - seen : total;
            Counter counter = Counter.builder("acc.router.deployment.cooldowns")
                    .description("Cooldowns started, counted by every proxy in the deployment's shared health")
                    .tags(tags).register(registry);
            if (delta > 0) {
                counter.increment(delta);
            }
            cooldownsSeen.put(d.id(), total);
        }
        state.register(rows, true);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (ApiException e) {
            LOG.debugf("deployment health metrics not refreshed: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("deployment health metrics refresh failed", e);
        }
    }
}
