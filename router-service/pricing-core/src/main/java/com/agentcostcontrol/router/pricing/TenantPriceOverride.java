package com.agentcostcontrol.router.pricing;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A tenant's negotiated prices for one model (a row of {@code tenant_price_overrides}). Prices
 * absent from the map inherit the catalog's, field by field.
 *
 * @param tenantId the tenant (UUID text)
 * @param model    the model name as written by the operator; resolved like any looked-up name
 * @param prices   the overriding prices, USD per token, none negative
 */
public record TenantPriceOverride(String tenantId, String model, Map<PriceField, BigDecimal> prices) {

    public TenantPriceOverride {
        if (tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("price override without a tenant");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("price override of tenant " + tenantId + " without a model");
        }
        EnumMap<PriceField, BigDecimal> copy = new EnumMap<>(PriceField.class);
        if (prices != null) {
            prices.forEach((field, value) -> {
                if (value != null) {
                    if (value.signum() < 0) {
                        throw new IllegalArgumentException("price override " + model + " of tenant " + tenantId
                                + ": negative " + field.column() + " " + value.toPlainString());
                    }
                    copy.put(field, value);
                }
            });
        }
        prices = Collections.unmodifiableMap(copy);
    }

    /** Whether the override carries enough to price a model the catalog does not know. */
    public boolean canStandAlone() {
        return prices.containsKey(PriceField.INPUT) && prices.containsKey(PriceField.OUTPUT);
    }
}
