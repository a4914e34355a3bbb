package com.agentcostcontrol.router.pricing;

import java.math.BigDecimal;

/**
 * A long-context tier: when a call's prompt exceeds {@code aboveInputTokens}, every token of the
 * call is billed at the tier's prices (how Anthropic, Google and xAI bill). A {@code null} price
 * means the catalog lists none for this dimension; {@link CostCalculator} then scales the base
 * price by the tier's input (or output) ratio.
 */
public record PriceTier(long aboveInputTokens, BigDecimal input, BigDecimal output,
        BigDecimal cacheRead, BigDecimal cacheWrite5m) {
}
