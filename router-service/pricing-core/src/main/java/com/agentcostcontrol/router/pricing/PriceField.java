package com.agentcostcontrol.router.pricing;

/**
 * One priced dimension of a model, in USD per token. Each maps to the column of
 * {@code model_prices} / {@code tenant_price_overrides} named like the LiteLLM key it comes from,
 * and to the short name used in JSON answers.
 */
public enum PriceField {
    /** Uncached input (prompt) tokens. Required for every model. */
    INPUT("input_cost_per_token", "input"),
    /** Output (completion) tokens; required except for embedding models. */
    OUTPUT("output_cost_per_token", "output"),
    /** Input tokens served from the provider's prompt cache. Fallback: {@link #INPUT}. */
    CACHE_READ("cache_read_input_token_cost", "cacheRead"),
    /** Input tokens written to a 5-minute prompt cache (Anthropic). Fallback: {@link #INPUT}. */
    CACHE_WRITE_5M("cache_creation_input_token_cost", "cacheWrite5m"),
    /** Input tokens written to a 1-hour prompt cache (Anthropic). Fallback: 2 x {@link #INPUT}. */
    CACHE_WRITE_1H("cache_creation_input_token_cost_above_1hr", "cacheWrite1h"),
    /** Reasoning (thinking) output tokens. Fallback: {@link #OUTPUT}. */
    REASONING("output_cost_per_reasoning_token", "reasoning"),
    /** Input price when the prompt exceeds 128k tokens (xAI Grok 4, Gemini 1.5). */
    INPUT_ABOVE_128K("input_cost_per_token_above_128k_tokens", "inputAbove128k"),
    /** Output price when the prompt exceeds 128k tokens. */
    OUTPUT_ABOVE_128K("output_cost_per_token_above_128k_tokens", "outputAbove128k"),
    /** Input price when the prompt exceeds 200k tokens (Claude Sonnet 4.x, Gemini 2.5/3 Pro). */
    INPUT_ABOVE_200K("input_cost_per_token_above_200k_tokens", "inputAbove200k"),
    /** Output price when the prompt exceeds 200k tokens. */
    OUTPUT_ABOVE_200K("output_cost_per_token_above_200k_tokens", "outputAbove200k"),
    /** Cache-read price when the prompt exceeds 200k tokens. */
    CACHE_READ_ABOVE_200K("cache_read_input_token_cost_above_200k_tokens", "cacheReadAbove200k"),
    /** 5-minute cache-write price when the prompt exceeds 200k tokens. */
    CACHE_WRITE_ABOVE_200K("cache_creation_input_token_cost_above_200k_tokens", "cacheWrite5mAbove200k");

    private final String column;
    private final String jsonName;

    PriceField(String column, String jsonName) {
        this.column = column;
        this.jsonName = jsonName;
    }

    /** The database column (and LiteLLM key) holding this price. */
    public String column() {
        return column;
    }

    /** The short camel-case name used in JSON answers. */
    public String jsonName() {
        return jsonName;
    }
}
