package com.agentcostcontrol.router.catalog;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.router.config.RouterConfig;
import com.agentcostcontrol.router.pricing.PriceCatalog;
import com.agentcostcontrol.router.pricing.PriceCatalogHolder;
import com.agentcostcontrol.router.pricing.PriceCatalogHolder.ReloadResult;
import com.agentcostcontrol.router.pricing.PriceCatalogLoader;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps router-service's in-memory price catalog: loaded at start-up, reloaded every
 * {@link RouterConfig.Catalog#refresh()}, the last good snapshot kept when a reload fails.
 */
@ApplicationScoped
public class CatalogService {

    private static final Logger LOG = Logger.getLogger(CatalogService.class);

    private final PriceCatalogHolder holder;
    private final RouterConfig.Catalog config;
    private final MeterRegistry registry;
    private ScheduledExecutorService scheduler;
    private List<String> lastRejected = List.of();
    private int lastModels = -1;
    private int lastOverrides = -1;

    public CatalogService(DataSource dataSource, RouterConfig config, MeterRegistry registry) {
        this.holder = new PriceCatalogHolder(new PriceCatalogLoader(dataSource));
        this.config = config.catalog();
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        registry.gauge("acc.price.catalog.models", holder, h -> h.current().size());
        registry.gauge("acc.price.catalog.overrides", holder, h -> h.current().overrideCount());
        reload();
        long every = Math.max(1, config.refresh().toMillis());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acc-price-catalog-refresh");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::reloadQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** The snapshot in use (empty until the first successful load). */
    public PriceCatalog catalog() {
        return holder.current();
    }

    /** Whether a snapshot has ever loaded. */
    public boolean ready() {
        return holder.hasCatalog();
    }

    public Optional<ReloadResult> lastReload() {
        return holder.lastReload();
    }

    public Optional<java.time.Instant> loadedAt() {
        return holder.loadedAt();
    }

    /** Reloads now (the scheduler calls this too) and logs what changed. */
    public synchronized ReloadResult reload() {
        ReloadResult result = holder.reload();
        Counter.builder("acc.price.catalog.reloads").description("Price catalog reloads by outcome")
                .tag("outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
        switch (result.outcome()) {
            case LOADED -> {
                if (result.models() != lastModels || result.overrides() != lastOverrides) {
                    LOG.infof("price catalog loaded: %d models, %d tenant overrides", result.models(), result.overrides());
                }
                if (!result.rejected().equals(lastRejected)) {
                    result.rejected().forEach(r -> LOG.warnf("price catalog row rejected: %s", r));
                }
                lastModels = result.models();
                lastOverrides = result.overrides();
                lastRejected = result.rejected();
            }
            case FAILED_KEPT_PREVIOUS -> LOG.errorf("price catalog reload failed, keeping the snapshot of %s: %s",
                    holder.loadedAt().map(Object::toString).orElse("?"), result.error());
            case FAILED_NO_CATALOG -> LOG.errorf("price catalog could not be loaded (no snapshot yet, will retry): %s",
                    result.error());
        }
        return result;
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            // Never let an exception cancel the periodic task.
            LOG.error("price catalog refresh failed unexpectedly", e);
        }
    }
}
