package com.agentcostcontrol.proxy.llm.usage;

import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.router.pricing.ModelPrice;
import com.agentcostcontrol.router.pricing.PriceCatalog;
import com.agentcostcontrol.router.pricing.PriceCatalogHolder;
import com.agentcostcontrol.router.pricing.PriceCatalogLoader;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The proxy's in-process price catalog (pricing-core, tables {@code model_prices} and
 * {@code tenant_price_overrides}): loaded at start and every {@code acc.proxy.routing.refresh-interval};
 * a failed reload keeps the last good catalog. Lookups never touch the network.
 */
@ApplicationScoped
public class Prices {

    private static final Logger LOG = Logger.getLogger(Prices.class);

    private final PriceCatalogHolder holder;

    public Prices(DataSource dataSource) {
        this.holder = new PriceCatalogHolder(new PriceCatalogLoader(dataSource));
    }

    void onStart(@Observes StartupEvent event) {
        reload();
    }

    @Scheduled(every = "${acc.proxy.routing.refresh-interval:30s}", delayed = "${acc.proxy.routing.refresh-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodicReload() {
        reload();
    }

    public boolean reload() {
        PriceCatalogHolder.ReloadResult result = holder.reload();
        if (!result.succeeded()) {
            LOG.warnf("price catalog reload failed (%s): %s", result.outcome(), result.error());
        }
        return result.succeeded();
    }

    public PriceCatalog catalog() {
        return holder.current();
    }

    /** The price the tenant pays for {@code model} (tenant overrides merged), if the catalog knows it. */
    public Optional<ModelPrice> price(UUID tenantId, String model) {
        if (model == null) {
            return Optional.empty();
        }
        return holder.current().lookup(tenantId == null ? null : tenantId.toString(), model);
    }
}
