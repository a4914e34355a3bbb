package com.agentcostcontrol.router.pricing;

/**
 * One call's token usage, normalized so that no token is counted twice. The input categories
 * are disjoint: {@code inputTokens} are uncached input only. {@code reasoningTokens} are a part
 * of {@code outputTokens}, not in addition to them.
 *
 * <p>Providers count differently — use the factories, never map raw fields by hand:
 * <ul>
 * <li>OpenAI (chat completions and responses): {@code prompt_tokens} INCLUDES the cached tokens
 *     ({@code prompt_tokens_details.cached_tokens}); {@code completion_tokens} INCLUDES the
 *     reasoning tokens ({@code completion_tokens_details.reasoning_tokens}).</li>
 * <li>Anthropic: {@code input_tokens} EXCLUDES cache reads ({@code cache_read_input_tokens})
 *     and cache writes ({@code cache_creation_input_tokens}, split by TTL in
 *     {@code cache_creation.ephemeral_5m_input_tokens} / {@code ephemeral_1h_input_tokens});
 *     thinking tokens are inside {@code output_tokens} and not reported apart.</li>
 * <li>Gemini: {@code promptTokenCount} INCLUDES {@code cachedContentTokenCount};
 *     {@code candidatesTokenCount} EXCLUDES {@code thoughtsTokenCount}.</li>
 * </ul>
 *
 * @param inputTokens        uncached input tokens
 * @param cacheReadTokens    input tokens read from the prompt cache
 * @param cacheWrite5mTokens input tokens written to a 5-minute cache
 * @param cacheWrite1hTokens input tokens written to a 1-hour cache
 * @param outputTokens       all output tokens, reasoning included
 * @param reasoningTokens    the reasoning part of {@code outputTokens}
 */
public record TokenUsage(long inputTokens, long cacheReadTokens, long cacheWrite5mTokens, long cacheWrite1hTokens,
        long outputTokens, long reasoningTokens) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0, 0);

    public TokenUsage {
        nonNegative(inputTokens, "inputTokens");
        nonNegative(cacheReadTokens, "cacheReadTokens");
        nonNegative(cacheWrite5mTokens, "cacheWrite5mTokens");
        nonNegative(cacheWrite1hTokens, "cacheWrite1hTokens");
        nonNegative(outputTokens, "outputTokens");
        nonNegative(reasoningTokens, "reasoningTokens");
        if (reasoningTokens > outputTokens) {
            throw new IllegalArgumentException("reasoningTokens (" + reasoningTokens
                    + ") are part of outputTokens (" + outputTokens + ") and cannot exceed them");
        }
    }

    /**
     * From an OpenAI {@code usage} object.
     *
     * @param promptTokens     {@code prompt_tokens} (or Responses {@code input_tokens}), cached tokens included
     * @param cachedTokens     {@code prompt_tokens_details.cached_tokens}; 0 when absent
     * @param completionTokens {@code completion_tokens} (or Responses {@code output_tokens}), reasoning included
     * @param reasoningTokens  {@code completion_tokens_details.reasoning_tokens}; 0 when absent
     */
    public static TokenUsage fromOpenAi(long promptTokens, long cachedTokens, long completionTokens, long reasoningTokens) {
        if (cachedTokens > promptTokens) {
            throw new IllegalArgumentException("OpenAI cached_tokens (" + cachedTokens
                    + ") are part of prompt_tokens (" + promptTokens + ") and cannot exceed them");
        }
        return new TokenUsage(promptTokens - cachedTokens, cachedTokens, 0, 0, completionTokens, reasoningTokens);
    }

    /**
     * From an Anthropic {@code usage} object. When the response gives only the total
     * {@code cache_creation_input_tokens} (no TTL split), pass it as 5-minute writes — the default TTL.
     *
     * @param inputTokens           {@code input_tokens} (uncached only)
     * @param cacheReadInputTokens  {@code cache_read_input_tokens}
     * @param cacheCreation5mTokens {@code cache_creation.ephemeral_5m_input_tokens}
     * @param cacheCreation1hTokens {@code cache_creation.ephemeral_1h_input_tokens}
     * @param outputTokens          {@code output_tokens} (thinking included)
     */
    public static TokenUsage fromAnthropic(long inputTokens, long cacheReadInputTokens, long cacheCreation5mTokens,
            long cacheCreation1hTokens, long outputTokens) {
        return new TokenUsage(inputTokens, cacheReadInputTokens, cacheCreation5mTokens, cacheCreation1hTokens, outputTokens, 0);
    }

    /**
     * From a Gemini {@code usageMetadata} object.
     *
     * @param promptTokenCount        {@code promptTokenCount}, cached tokens included
     * @param cachedContentTokenCount {@code cachedContentTokenCount}; 0 when absent
     * @param candidatesTokenCount    {@code candidatesTokenCount}, thoughts NOT included
     * @param thoughtsTokenCount      {@code thoughtsTokenCount}; 0 when absent
     */
    public static TokenUsage fromGemini(long promptTokenCount, long cachedContentTokenCount, long candidatesTokenCount,
            long thoughtsTokenCount) {
        if (cachedContentTokenCount > promptTokenCount) {
            throw new IllegalArgumentException("Gemini cachedContentTokenCount (" + cachedContentTokenCount
                    + ") is part of promptTokenCount (" + promptTokenCount + ") and cannot exceed it");
        }
        return new TokenUsage(promptTokenCount - cachedContentTokenCount, cachedContentTokenCount, 0, 0,
                candidatesTokenCount + thoughtsTokenCount, thoughtsTokenCount);
    }

    /** Usage of an embedding call: input only. */
    public static TokenUsage ofEmbedding(long inputTokens) {
        return new TokenUsage(inputTokens, 0, 0, 0, 0, 0);
    }

    /** Every input token of the prompt: uncached + cache read + cache writes. Decides price tiers. */
    public long totalInputTokens() {
        return Math.addExact(Math.addExact(inputTokens, cacheReadTokens), Math.addExact(cacheWrite5mTokens, cacheWrite1hTokens));
    }

    /** Total tokens of the call (input categories + output). */
    public long totalTokens() {
        return Math.addExact(totalInputTokens(), outputTokens);
    }

    private static void nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
