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
