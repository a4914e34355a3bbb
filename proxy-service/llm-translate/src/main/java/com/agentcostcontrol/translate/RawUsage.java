package com.agentcostcontrol.translate;

/**
 * Token usage exactly as one API family reports it, kept in that family's own convention. The two
 * conventions differ in what "input" means, which is the most common billing bug of LLM gateways:
 *
 * <table>
 *   <caption>field meaning per format</caption>
 *   <tr><th>field</th><th>{@link Format#OPENAI}</th><th>{@link Format#ANTHROPIC}</th></tr>
 *   <tr><td>{@code inputTokens}</td><td>{@code prompt_tokens}: ALL prompt tokens, cached ones
 *       included</td><td>{@code input_tokens}: only uncached input; cache reads and cache writes are
 *       NOT included</td></tr>
 *   <tr><td>{@code cachedTokens}</td><td>{@code prompt_tokens_details.cached_tokens}: a subset of
 *       inputTokens</td><td>{@code cache_read_input_tokens}: on top of inputTokens</td></tr>
 *   <tr><td>{@code cacheCreation5m}</td><td>0 (OpenAI does not bill cache writes)</td>
 *       <td>{@code cache_creation.ephemeral_5m_input_tokens}, or all of
 *       {@code cache_creation_input_tokens} when the breakdown is absent; on top of inputTokens</td></tr>
 *   <tr><td>{@code cacheCreation1h}</td><td>0</td><td>{@code cache_creation.ephemeral_1h_input_tokens}</td></tr>
 *   <tr><td>{@code outputTokens}</td><td>{@code completion_tokens}, reasoning included</td>
 *       <td>{@code output_tokens}, thinking included</td></tr>
 *   <tr><td>{@code reasoningTokens}</td><td>{@code completion_tokens_details.reasoning_tokens}: a
 *       subset of outputTokens</td><td>0 (not reported separately)</td></tr>
 * </table>
 *
 * Map it to the pricing library as {@code OPENAI -> TokenUsage.fromOpenAi(inputTokens,
 * cachedTokens, outputTokens, reasoningTokens)} and {@code ANTHROPIC ->
 * TokenUsage.fromAnthropic(inputTokens, cachedTokens, cacheCreation5m, cacheCreation1h,
 * outputTokens)}.
 */
public record RawUsage(
        Format format,
        long inputTokens,
        long cachedTokens,
        long cacheCreation5m,
        long cacheCreation1h,
        long outputTokens,
        long reasoningTokens) {

    /** Which API family's convention the numbers follow. */
    public enum Format { OPENAI, ANTHROPIC }

    /** No usage seen yet. */
    public static RawUsage none(Format format) {
        return new RawUsage(format, 0, 0, 0, 0, 0, 0);
    }

    /** Every prompt token the provider processed (cached, cache-written and uncached), in either format. */
    public long totalInputTokens() {
        return format == Format.OPENAI ? inputTokens : inputTokens + cachedTokens + cacheCreation5m + cacheCreation1h;
    }

    /** Prompt tokens billed at the plain input rate (neither read from nor written to a cache). */
    public long uncachedInputTokens() {
        return format == Format.OPENAI ? Math.max(0, inputTokens - cachedTokens) : inputTokens;
    }

    /** Same usage with output raised to at least {@code minOutput} (used for estimates). */
    RawUsage withOutputAtLeast(long minOutput) {
        return minOutput <= outputTokens ? this
                : new RawUsage(format, inputTokens, cachedTokens, cacheCreation5m, cacheCreation1h, minOutput, reasoningTokens);
    }

    /** Same usage with input set to {@code input} when no input was reported. */
    RawUsage withInputIfMissing(long input) {
        return totalInputTokens() > 0 || input <= 0 ? this
                : new RawUsage(format, input, cachedTokens, cacheCreation5m, cacheCreation1h, outputTokens, reasoningTokens);
    }
}
