package com.agentcostcontrol.proxy.llm.usage;

/**
 * Tokens of one call by billing kind, normalised across formats (the usage event's convention):
 * {@code input} is plain input only (neither read from nor written to a prompt cache);
 * {@code cacheRead}, {@code cacheWrite5m} and {@code cacheWrite1h} are on top of it;
 * {@code output} includes {@code reasoning}. So OpenAI's {@code prompt_tokens} =
 * input + cacheRead, and Anthropic's {@code input_tokens} = input.
 */
public record TokenCounts(long input, long cacheRead, long cacheWrite5m, long cacheWrite1h, long output, long reasoning) {

    public static final TokenCounts ZERO = new TokenCounts(0, 0, 0, 0, 0, 0);

    /** Every prompt token processed, cached or not. */
    public long totalInput() {
        return input + cacheRead + cacheWrite5m + cacheWrite1h;
    }

    /** From OpenAI numbers, where cached tokens are part of prompt_tokens. */
    public static TokenCounts fromOpenAi(long promptTokens, long cachedTokens, long completionTokens, long reasoningTokens) {
        long cached = Math.min(Math.max(0, cachedTokens), Math.max(0, promptTokens));
        return new TokenCounts(Math.max(0, promptTokens - cached), cached, 0, 0, Math.max(0, completionTokens),
                Math.min(Math.max(0, reasoningTokens), Math.max(0, completionTokens)));
    }

    /** From Anthropic numbers, where cache reads and writes are NOT part of input_tokens. */
    public static TokenCounts fromAnthropic(long inputTokens, long cacheRead, long cacheWrite5m, long cacheWrite1h,
            long outputTokens) {
        return new TokenCounts(Math.max(0, inputTokens), Math.max(0, cacheRead), Math.max(0, cacheWrite5m),
                Math.max(0, cacheWrite1h), Math.max(0, outputTokens), 0);
    }
}
