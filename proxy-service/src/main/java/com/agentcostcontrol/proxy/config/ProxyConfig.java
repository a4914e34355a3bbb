package com.agentcostcontrol.proxy.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of proxy-service ({@code acc.proxy.*}). */
@ConfigMapping(prefix = "acc.proxy")
public interface ProxyConfig {

    /** Virtual-key cache of the hot path. */
    Keys keys();

    /**
     * Base64 of the 32-byte key (env ACC_SECRET_KEY, shared with router-service) that decrypts the
     * deployments' stored provider credentials. Without it, deployments with a stored credential are skipped.
     */
    Optional<String> secretKey();

    /** The LLM call path: inbound limits and upstream HTTP client. */
    Llm llm();

    /** In-process snapshot of deployments and routes. */
    Routing routing();

    /** Usage events appended to a Redis Stream for every finished call. */
    Usage usage();

    /** Built-in providers configured from the environment (used for models without a route). */
    Providers providers();

    /** Budget reservations and rate limits on the hot path (budget-core's Redis protocol). */
    Budget budget();

    interface Budget {
        /**
         * When Redis cannot be reached (or its counters are not rebuilt yet), let calls governed by a hard
         * budget through ({@code true}) instead of answering 503 ({@code false}, the default).
         */
        @WithDefault("false")
        boolean failOpen();

        /** Safety-net re-read of the budget definitions (changes also arrive on {@code acc:budgets:changed}). */
        @WithDefault("5s")
        Duration refreshInterval();

        /** Life of a reservation lease and a rate-limit permit unless settled: above the upstream timeout. */
        @WithDefault("5m")
        Duration leaseTtl();

        /** Wait for Redis before a reservation or rate-limit check fails. */
        @WithDefault("2s")
        Duration redisTimeout();

        /**
         * How long a settled reservation id is remembered, so a repeated settle is a no-op. One Redis key per
         * call: about 110 bytes x calls per second x this (1,000 calls/s for 5 min: ~33 MB). The proxy settles
         * each call once and never retries a settle, so this only has to outlast a lost reply.
         */
        @WithDefault("5m")
        Duration settledMarkerTtl();
    }

    interface Llm {
        /** Largest request body accepted on the LLM endpoints, in bytes (larger bodies get 413). */
        @WithDefault("33554432")
        int maxBodyBytes();

        /** Connect timeout to an upstream provider (a connect failure falls back to the next deployment). */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Pooled keep-alive connections per upstream host. */
        @WithDefault("1000")
        int maxConnectionsPerHost();

        /** How long an idle pooled upstream connection is kept open. */
        @WithDefault("60s")
        Duration keepAliveTimeout();

        /** {@code api-version} query parameter sent to azure-openai deployments whose base URL names none. */
        @WithDefault("2024-10-21")
        String azureApiVersion();

        /** {@code anthropic-version} header sent to Anthropic-format upstreams when the client sent none. */
        @WithDefault("2023-06-01")
        String anthropicVersion();
    }

    interface Routing {
        /** Period of the full reload of deployments, routes and rules (the safety net under Redis pub/sub). */
        @WithDefault("30s")
        Duration refreshInterval();

        /** Most attempts in one plan (primary deployments and fallbacks); the rest are skipped. */
        @WithDefault("10")
        int maxAttempts();

        /** {@code demote} (try cooling-down deployments last) or {@code skip} (leave them out). */
        @WithDefault("demote")
        String cooledDown();

        /** A deployment whose provider reported this many requests left or fewer is tried last until the reset. */
        @WithDefault("1")
        long rateLimitHeadroomRequests();

        /** Shared deployment health (Redis, same values on every proxy: see docs/ROUTING.md section 5). */
        Health health();

        interface Health {
            /** Counted failures in a row that start a cooldown. */
            @WithDefault("3")
            int failureThreshold();

            /** Failures further apart than this from the run's first do not add up. */
            @WithDefault("60s")
            Duration failureWindow();

            /** First cooldown. */
            @WithDefault("5s")
            Duration baseCooldown();

            /** The n-th cooldown in a row lasts base × multiplier^(n−1). */
            @WithDefault("2.0")
            double cooldownMultiplier();

            /** Cap of a computed cooldown. */
            @WithDefault("5m")
            Duration maxCooldown();

            /** Cap of a provider's Retry-After. */
            @WithDefault("10m")
            Duration maxRetryAfter();

            /** How long a half-open probe holds its slot when its outcome never comes (attempts pass their timeout). */
            @WithDefault("60s")
            Duration probeLease();

            /** Weight of the newest sample in the latency EWMAs (shared and this proxy's own). */
            @WithDefault("0.3")
            double latencyAlpha();

            /** A deployment's health hash expires this long after its last update. */
            @WithDefault("24h")
            Duration idleTtl();

            /** How long reported rate-limit headroom is trusted without a reset time. */
            @WithDefault("60s")
            Duration rateLimitDefaultReset();

            /**
             * A success that changes nothing about a healthy deployment is written to Redis at most this often
             * per deployment (latency and rate-limit headers included); failures and state changes at once.
             */
            @WithDefault("200ms")
            Duration successWriteInterval();

            /** How stale the planner's cached view of a deployment's health may get before a background re-read. */
            @WithDefault("1s")
            Duration viewTtl();
        }
    }

    interface Usage {
        /** Redis Stream the usage events are appended to. */
        @WithDefault("acc:usage")
        String stream();

        /** Approximate cap of the stream's length ({@code XADD MAXLEN ~}); consumers must keep up. */
        @WithDefault("1000000")
        long maxLength();

        /**
         * Append-only file events are spooled to while Redis is unavailable; replayed in order when
         * it is back, then truncated.
         */
        @WithDefault("${ACC_CONFIG_DIR:.acc}/proxy-usage-spool.jsonl")
        String spoolFile();

        /** How often a non-empty spool is retried against Redis. */
        @WithDefault("1s")
        Duration replayInterval();
    }

    interface Providers {
        /** OpenAI credential (env OPENAI_API_KEY): serves catalog models of provider openai that have no route. */
        Optional<String> openaiApiKey();

        /** Anthropic credential (env ANTHROPIC_API_KEY): serves catalog models of provider anthropic. */
        Optional<String> anthropicApiKey();

        /** OpenRouter credential (env OPENROUTER_API_KEY): serves {@code vendor/model} names through OpenRouter. */
        Optional<String> openrouterApiKey();

        /** Groq credential (env GROQ_API_KEY): serves catalog models of provider groq. */
        Optional<String> groqApiKey();

        /** DeepSeek credential (env DEEPSEEK_API_KEY): serves catalog models of provider deepseek. */
        Optional<String> deepseekApiKey();

        /** Mistral credential (env MISTRAL_API_KEY): serves catalog models of provider mistral. */
        Optional<String> mistralApiKey();

        /** xAI credential (env XAI_API_KEY): serves catalog models of provider xai. */
        Optional<String> xaiApiKey();

        /** Whether the built-in mock provider serves {@code mock-small} and {@code mock-large}. */
        @WithDefault("true")
        boolean mockEnabled();

        /** Timeout of built-in (environment-configured) deployments. */
        @WithDefault("600s")
        Duration timeout();
    }

    interface Keys {
        /** How many authenticated keys are kept in process. */
        @WithDefault("100000")
        long cacheSize();

        /** Upper bound on how long an accepted key is trusted without a re-read. */
        @WithDefault("5m")
        Duration cacheTtl();

        /** How long an unknown key is remembered as unknown (shields the database from floods of bad keys). */
        @WithDefault("10s")
        Duration negativeTtl();

        /**
         * How often the database is polled for revoked keys and suspended tenants: the safety net under
         * Redis pub/sub invalidation, and what bounds revocation delay when pub/sub is down.
         */
        @WithDefault("1s")
        Duration pollInterval();
    }

    /**
     * The bootstrap operator token ({@code ACC_ADMIN_TOKEN}). There is deliberately no default: when it
     * is unset, calls that present anything other than a virtual key or an OIDC token get 401 saying
     * that no operator token is configured.
     */
    Optional<String> adminToken();

    /** How people's OIDC tokens are read (quarkus-oidc verifies them; issuer from {@code ACC_OIDC_ISSUER}). */
    Oidc oidc();

    /** Base URLs of the services that own the management paths the proxy forwards. */
    Services services();

    /** How management calls are forwarded to their owners. */
    Forwarding forwarding();

    interface Oidc {
        /**
         * Claim holding the caller's roles ({@code operator}, {@code tenant-admin}, {@code tenant-viewer}):
         * an array or a space/comma separated string; nested claims are written with {@code /}
         * (for example {@code realm_access/roles}).
         */
        @WithDefault("roles")
        String rolesClaim();

        /** Claim holding the id of the tenant the person belongs to (nested claims with {@code /}). */
        @WithDefault("acc_tenant")
        String tenantClaim();
    }

    interface Services {
        /** budget-service: {@code /v1/budgets/**}, {@code /admin/v1/budgets/**}. */
        @WithDefault("http://127.0.0.1:8081")
        String budgetUrl();

        /** router-service: {@code /v1/routing/**}, {@code /admin/v1/deployments/**}, {@code /admin/v1/routes/**}. */
        @WithDefault("http://127.0.0.1:8082")
        String routerUrl();

        /** security-service: {@code /v1/security/**}, {@code /admin/v1/security/**}. */
        @WithDefault("http://127.0.0.1:8083")
        String securityUrl();

        /** analytics-service: {@code /v1/analytics/**}, {@code /admin/v1/analytics/**}. */
        @WithDefault("http://127.0.0.1:8084")
        String analyticsUrl();

        /** billing-service: {@code /v1/billing/**} (Stripe webhook included), {@code /admin/v1/billing/**}. */
        @WithDefault("http://127.0.0.1:8085")
        String billingUrl();

        /** gateway-adapter: {@code /v1/fleet/**}, {@code /admin/v1/fleet/**}. */
        @WithDefault("http://127.0.0.1:8086")
        String gatewayUrl();
    }

    interface Forwarding {
        /** How long to wait for a TCP connection to an owner before answering 503. */
        @WithDefault("2s")
        Duration connectTimeout();

        /**
         * How long an owner may stay silent (no response headers or body bytes) before the call is
         * abandoned; before the first byte reached the client this answers 503.
         */
        @WithDefault("30s")
        Duration responseTimeout();

        /** Pooled connections per owner. */
        @WithDefault("50")
        int maxConnectionsPerOwner();
    }
}
