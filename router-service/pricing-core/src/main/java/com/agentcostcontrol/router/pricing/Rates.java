package com.agentcostcontrol.router.pricing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Optional;

/**
 * The per-token rates that apply to one call, after the fallbacks and the long-context tier.
 * Shared by {@link CostCalculator} and {@link CostEstimator} so both price alike.
 */
record Rates(BigDecimal input, BigDecimal cacheRead, BigDecimal cacheWrite5m, BigDecimal cacheWrite1h,
        BigDecimal output, BigDecimal reasoning, long tierAboveTokens) {

    /** Anthropic bills a 1-hour cache write at twice the base input price. */
    static final BigDecimal ONE_HOUR_WRITE_MULTIPLIER = BigDecimal.valueOf(2);

    static Rates of(ModelPrice price, long totalInputTokens) {
        BigDecimal baseInput = price.inputCostPerToken();
        BigDecimal baseOutput = price.outputCostPerToken();
        BigDecimal baseRead = or(price.price(PriceField.CACHE_READ), baseInput);
        BigDecimal base5m = or(price.price(PriceField.CACHE_WRITE_5M), baseInput);
        BigDecimal base1h = or(price.price(PriceField.CACHE_WRITE_1H), baseInput.multiply(ONE_HOUR_WRITE_MULTIPLIER));
        BigDecimal listedReasoning = price.price(PriceField.REASONING);
        Optional<PriceTier> applied = price.tierFor(totalInputTokens);
        if (applied.isEmpty()) {
            return new Rates(baseInput, baseRead, base5m, base1h, baseOutput, or(listedReasoning, baseOutput), 0);
        }
        // Above the threshold every token of the call is billed at the tier. A dimension the
        // catalog gives no tier price for moves by the same factor as its parent price
        // (cache reads and writes follow input, reasoning follows output), as providers bill it.
        PriceTier tier = applied.get();
        BigDecimal input = or(tier.input(), baseInput);
        BigDecimal output = or(tier.output(), baseOutput);
        return new Rates(input,
                tier.cacheRead() != null ? tier.cacheRead() : scale(baseRead, input, baseInput),
                tier.cacheWrite5m() != null ? tier.cacheWrite5m() : scale(base5m, input, baseInput),
                scale(base1h, input, baseInput),
                output,
                listedReasoning != null ? scale(listedReasoning, output, baseOutput) : output,
                tier.aboveInputTokens());
    }

    /** {@code value * newParent / oldParent}: exact when the quotient terminates (it does for real tiers). */
    private static BigDecimal scale(BigDecimal value, BigDecimal newParent, BigDecimal oldParent) {
        if (oldParent.signum() == 0 || newParent.compareTo(oldParent) == 0) {
            return value;
        }
        BigDecimal product = value.multiply(newParent);
        try {
            return product.divide(oldParent);
        } catch (ArithmeticException nonTerminating) {
            return product.divide(oldParent, MathContext.DECIMAL128);
        }
    }

    private static BigDecimal or(BigDecimal value, BigDecimal fallback) {
        return value != null ? value : fallback;
    }
}
