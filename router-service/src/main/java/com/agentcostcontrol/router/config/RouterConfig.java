package com.agentcostcontrol.router.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * router-service settings, one root ({@code acc.router.*}) with a group per concern:
 * {@link Catalog} ({@code acc.router.catalog.*}) and {@link Routing} ({@code acc.router.routing.*}).
 */
@ConfigMapping(prefix = "acc.router")
public interface RouterConfig {

    /**
     * Base64 of the 32-byte AES-256-GCM key that encrypts provider credentials ({@code apiKey} of a
     * deployment) at rest; env {@code ACC_SECRET_KEY}. The proxy needs the same key to use them.
     * When unset the service runs, but creating or updating a deployment with an {@code apiKey}
     * is refused (503) with a message saying to set it. A malformed key stops startup.
     */
    Optional<String> secretKey();

    /** The price catalog snapshot. */
    Catalog catalog();

    /** Route planning, fallback chains and health views. */
    Routing routing();

    /** Settings of the price catalog snapshot ({@code acc.router.catalog.*}). */
    interface Catalog {

        /**
         * How often the catalog snapshot ({@code model_prices} + {@code tenant_price_overrides}) is
         * reloaded from Postgres. A failed reload keeps the last good snapshot and is retried at the
         * next tick. Env: {@code ACC_ROUTER_CATALOG_REFRESH}, e.g. {@code 30s}, {@code 5m}.
         */
        @WithDefault("60s")
        Duration refresh();
    }

    /** Settings of route planning, fallback chains and health views ({@code acc.router.routing.*}). */
    interface Routing {

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
}
