package com.agentcostcontrol.router.planning;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of router-service's route planning, fallback chains and health views ({@code acc.router.routing.*}). */
@ConfigMapping(prefix = "acc.router.routing")
public interface PlanningConfig {

    /**
     * How often the routing snapshot (deployments, routes, enabled rules) is reloaded from Postgres,
     * besides every message on {@code acc:routing:changed}. A failed reload keeps the last good
     * snapshot. Env {@code ACC_ROUTER_ROUTING_REFRESH}.
     */
    @WithDefault("30s")
    Duration refresh();

    /**
     * Catalog provider families a model without a route may be served by, as the proxy's built-in
     * deployments (e.g. {@code mock,openai,anthropic}). Unset: {@code mock} plus every provider
     * whose key is in this service's environment ({@code OPENAI_API_KEY} -> openai,
     * {@code ANTHROPIC_API_KEY} -> anthropic, {@code OPENROUTER_API_KEY} -> openrouter, GROQ, DEEPSEEK,
     * MISTRAL, XAI, GEMINI), which matches the proxy when both get the same environment.
     * Env {@code ACC_ROUTER_ROUTING_BUILTIN_PROVIDERS}.
     */
    Optional<List<String>> builtinProviders();

    /** Upstream timeout of built-in deployments, in plans (the proxy's own value decides the real one). */
    @WithDefault("60s")
    Duration builtinTimeout();

    /** Most attempts in one plan; the rest are listed as skipped. */
    @WithDefault("10")
    int maxAttempts();

    /**
     * What plans do with a deployment that is cooling down: {@code demote} (after every other
     * attempt) or {@code skip} (left out). The proxy should use the same value.
     */
    @WithDefault("demote")
    String cooledDown();

    /**
     * A deployment whose provider reported this many requests left or fewer (until its reset) is
     * moved to the end of plans, before it answers 429.
     */
    @WithDefault("1")
    long rateLimitHeadroomRequests();

    /**
     * The failure window of deployment health (only used here to report consecutive failures
     * within it; the proxy's value decides when a deployment trips).
     */
    @WithDefault("60s")
    Duration failureWindow();

    /** Longest wait for Redis when reading deployment health; past it the answer is 503 (health API) or plans without health. */
    @WithDefault("2s")
    Duration redisTimeout();

    /** How often the {@code acc_router_deployment_*} metrics are refreshed from Redis. */
    @WithDefault("15s")
    Duration metricsRefresh();
}
