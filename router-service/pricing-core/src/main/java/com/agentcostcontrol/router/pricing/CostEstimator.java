package com.agentcostcontrol.router.pricing;

import java.math.BigDecimal;

/**
 * Upper bound of a call's cost before it is made, for budget reservations: every estimated
 * input token at the highest input price the call could incur (a model that bills cache writes
 * could write the whole prompt to a 1-hour cache), and the most output the call may produce at
 * the higher of the output and reasoning prices, in the long-context tier if the estimated
 * prompt is above its threshold.
 */
public final class CostEstimator {

    /** Output tokens assumed when neither the request nor the catalog bounds the output. */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

    private CostEstimator() {
    }

    /**
     * @param estimatedInputTokens  the prompt's token estimate, all input categories together
     * @param requestMaxOutputTokens the request's {@code max_tokens} / {@code max_completion_tokens}
     *                               / {@code max_output_tokens}, or {@code null} when it sets none
     */
    public static Cost worstCase(ModelPrice price, long estimatedInputTokens, Integer requestMaxOutputTokens) {
        if (estimatedInputTokens < 0) {
            throw new IllegalArgumentException("estimatedInputTokens must not be negative, got " + estimatedInputTokens);
        }
        Rates r = Rates.of(price, estimatedInputTokens);
        BigDecimal inputRate = r.input().max(r.cacheRead());
        if (price.price(PriceField.CACHE_WRITE_5M) != null || price.price(PriceField.CACHE_WRITE_ABOVE_200K) != null) {
            inputRate = inputRate.max(r.cacheWrite5m());
        }
        if (billsOneHourWrites(price)) {
            inputRate = inputRate.max(r.cacheWrite1h());
        }
        BigDecimal input = CostCalculator.times(inputRate, estimatedInputTokens);
        if (price.mode() == Mode.EMBEDDING) {
            return Cost.of(input, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                    r.tierAboveTokens());
        }
        long maxOutput = maxOutputTokens(price, estimatedInputTokens, requestMaxOutputTokens);
        BigDecimal output = CostCalculator.times(r.output().max(r.reasoning()), maxOutput);
        return Cost.of(input, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, output, BigDecimal.ZERO, r.tierAboveTokens());
    }

    /**
     * The most output tokens the call can produce: the request's limit (capped at the model's),
     * else the model's max output, else what is left of its context window, else
     * {@value #DEFAULT_MAX_OUTPUT_TOKENS}.
     */
    public static long maxOutputTokens(ModelPrice price, long estimatedInputTokens, Integer requestMaxOutputTokens) {
        Integer modelMax = price.maxOutputTokens();
        if (requestMaxOutputTokens != null) {
            if (requestMaxOutputTokens < 0) {
                throw new IllegalArgumentException("max output tokens must not be negative, got " + requestMaxOutputTokens);
            }
            return modelMax == null ? requestMaxOutputTokens : Math.min(requestMaxOutputTokens, modelMax);
        }
        if (modelMax != null) {
            return modelMax;
        }
        if (price.contextWindow() != null) {
            return Math.max(0, price.contextWindow() - estimatedInputTokens);
        }
        return DEFAULT_MAX_OUTPUT_TOKENS;
    }

    /**
     * Whether a call could write a 1-hour cache: the model lists a 1-hour price, or a 5-minute
     * write above its input price (Anthropic's models). Others (OpenAI, Gemini, DeepSeek, whose
     * caches cost nothing extra to fill) never report 1-hour writes, so the 2 x input fallback
     * must not inflate their reservations.
     */
    static boolean billsOneHourWrites(ModelPrice price) {
        BigDecimal fiveMinutes = price.price(PriceField.CACHE_WRITE_5M);
        return price.price(PriceField.CACHE_WRITE_1H) != null
                || (fiveMinutes != null && fiveMinutes.compareTo(price.inputCostPerToken()) > 0);
    }
}
