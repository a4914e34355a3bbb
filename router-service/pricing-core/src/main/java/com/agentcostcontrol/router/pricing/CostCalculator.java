package com.agentcostcontrol.router.pricing;

import java.math.BigDecimal;

/**
 * Exact cost of a finished call.
 *
 * <p>Rules (see docs/PRICING.md):
 * <ul>
 * <li>uncached input at {@link PriceField#INPUT}; output other than reasoning at {@link PriceField#OUTPUT};</li>
 * <li>cache reads at {@link PriceField#CACHE_READ}, else the input price;</li>
 * <li>5-minute cache writes at {@link PriceField#CACHE_WRITE_5M}, else the input price;</li>
 * <li>1-hour cache writes at {@link PriceField#CACHE_WRITE_1H}, else 2 x the input price
 *     (Anthropic's multiplier; every 1-hour price in the LiteLLM data is 2 x input once its
 *     Claude 3 errors are corrected);</li>
 * <li>reasoning tokens at {@link PriceField#REASONING}, else the output price;</li>
 * <li>when the prompt's total input (uncached + cache read + cache writes) exceeds a tier
 *     threshold the model has prices for (128k or 200k tokens), ALL tokens of the call use the
 *     tier's prices; a dimension without its own tier price is scaled by its parent's factor;</li>
 * <li>embedding models: every input token at the input price, nothing else.</li>
 * </ul>
 * Nothing is rounded; {@link Cost#totalMicros()} rounds the total once.
 */
public final class CostCalculator {

    private CostCalculator() {
    }

    public static Cost cost(ModelPrice price, TokenUsage usage) {
        Rates r = Rates.of(price, usage.totalInputTokens());
        if (price.mode() == Mode.EMBEDDING) {
            return Cost.of(times(r.input(), usage.totalInputTokens()), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                    BigDecimal.ZERO, BigDecimal.ZERO, r.tierAboveTokens());
        }
        return Cost.of(
                times(r.input(), usage.inputTokens()),
                times(r.cacheRead(), usage.cacheReadTokens()),
                times(r.cacheWrite5m(), usage.cacheWrite5mTokens()),
                times(r.cacheWrite1h(), usage.cacheWrite1hTokens()),
                times(r.output(), usage.outputTokens() - usage.reasoningTokens()),
                times(r.reasoning(), usage.reasoningTokens()),
                r.tierAboveTokens());
    }

    static BigDecimal times(BigDecimal rate, long tokens) {
        return tokens == 0 ? BigDecimal.ZERO : rate.multiply(BigDecimal.valueOf(tokens));
    }
}
