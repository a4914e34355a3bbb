package com.agentcostcontrol.proxy.llm.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.router.routing.RoutePlan;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Routing metrics of this proxy (Micrometer, Prometheus names):
 * <ul>
 *   <li>{@code acc_routing_decisions_total{source, strategy}} — plans made ({@code source=none}: nothing serves the model);</li>
 *   <li>{@code acc_routing_retries_total{reason}} — moves from one attempt to the next, by reason
 *       (a {@code FailureKind}: rate-limited, server-error, timeout, connection, auth, context-window;
 *       or probe-busy, unusable, untranslatable, unsupported);</li>
 *   <li>{@code acc_routing_fallbacks_total} — calls answered by an attempt other than the first tried;</li>
 *   <li>{@code acc_routing_cooldowns_total{deployment_id}} — cooldowns this proxy's recordings started.</li>
 * </ul>
 * Counters are cached by tag values: building one per call would allocate on every call.
 */
@ApplicationScoped
public class RoutingMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter fallbacks;

    public RoutingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.fallbacks = Counter.builder("acc.routing.fallbacks")
                .description("LLM calls answered by a fallback attempt (not the first one tried)").register(registry);
    }

    public void decision(RoutePlan plan) {
        String source = plan.isEmpty() ? "none" : plan.source().wireName();
        String strategy = plan.strategy() == null ? "none" : plan.strategy().wireName();
        counters.computeIfAbsent("d|" + source + '|' + strategy, k -> Counter.builder("acc.routing.decisions")
                .description("Route plans made, by where the primary model's deployments came from and the strategy")
                .tag("source", source).tag("strategy", strategy).register(registry)).increment();
    }

    public void retry(String reason) {
        counters.computeIfAbsent("r|" + reason, k -> Counter.builder("acc.routing.retries")
                .description("Moves from one attempt of a plan to the next, by reason")
                .tag("reason", reason).register(registry)).increment();
    }

    public void servedByFallback() {
        fallbacks.increment();
    }

    public void cooldown(String deploymentId) {
        counters.computeIfAbsent("c|" + deploymentId, k -> Counter.builder("acc.routing.cooldowns")
                .description("Deployment cooldowns started by this proxy's recorded failures")
                .tag("deployment_id", deploymentId).register(registry)).increment();
    }
}
