package com.agentcostcontrol.proxy.config;

import java.time.Duration;

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
}
