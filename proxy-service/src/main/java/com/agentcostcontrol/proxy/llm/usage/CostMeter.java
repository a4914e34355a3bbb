package com.agentcostcontrol.proxy.llm.usage;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.router.pricing.Cost;
import com.agentcostcontrol.router.pricing.CostCalculator;
import com.agentcostcontrol.router.pricing.ModelPrice;

/**
 * Prices a call's tokens exactly (pricing-core's {@link CostCalculator}: every dimension, cached
 * tokens by each format's convention, long-context tiers). The price is the tenant's price of the
 * served deployment's model, else of the requested model (a route alias named after a catalog
 * model, e.g. an Azure deployment name). Sets {@link LlmCall#costMicros} / {@link LlmCall#costUsd};
 * leaves them unknown when neither has a price (logged once per model).
 */
@ApplicationScoped
public class CostMeter {

    private static final Logger LOG = Logger.getLogger(CostMeter.class);

    private final Prices prices;
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public CostMeter(Prices prices) {
        this.prices = prices;
    }

    public void price(LlmCall call) {
        if (call.tokens == null) {
            return;
        }
        if (call.tokens.totalTokens() == 0) {
            call.costMicros = 0;
            call.costUsd = Cost.ZERO.toDecimalString();
            return;
        }
        if (call.served == null) {
            return;
        }
        UUID tenant = call.key == null ? null : call.key.tenantId();
        Optional<ModelPrice> price = prices.price(tenant, call.served.model());
        if (price.isEmpty()) {
            price = prices.price(tenant, call.requestedModel);
        }
        if (price.isEmpty()) {
            if (warned.add(call.served.model()) && warned.size() < 10_000) {
                LOG.warnf("no price for model '%s' (requested '%s'): its calls are recorded without cost; add it to the"
                        + " catalog or a tenant price override", call.served.model(), call.requestedModel);
            }
            return;
        }
        Cost cost = CostCalculator.cost(price.get(), call.tokens);
        call.costMicros = cost.totalMicros();
        call.costUsd = cost.toDecimalString();
    }
}
