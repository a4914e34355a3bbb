package com.agentcostcontrol.router.catalog;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of router-service's price catalog snapshot ({@code acc.router.catalog.*}). */
@ConfigMapping(prefix = "acc.router.catalog")
public interface CatalogConfig {

    /**
     * How often the catalog snapshot ({@code model_prices} + {@code tenant_price_overrides}) is
     * reloaded from Postgres. A failed reload keeps the last good snapshot and is retried at the
     * next tick. Env: {@code ACC_ROUTER_CATALOG_REFRESH}, e.g. {@code 30s}, {@code 5m}.
     */
    @WithDefault("60s")
    Duration refresh();
}
