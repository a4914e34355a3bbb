package com.agentcostcontrol.translate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a provider's {@code usage} object into {@link RawUsage}, keeping each format's own
 * convention. Missing or null fields count as 0; a null/missing usage gives all zeros.
 */
public final class UsageReader {

    private UsageReader() {
    }

    /**
     * OpenAI chat usage: {@code prompt_tokens}, {@code completion_tokens},
     * {@code prompt_tokens_details.cached_tokens}, {@code completion_tokens_details.reasoning_tokens}.
     * Also accepts DeepSeek's {@code prompt_cache_hit_tokens} when no {@code cached_tokens} is given,
     * and the Responses-API names ({@code input_tokens}, {@code output_tokens},
     * {@code input_tokens_details}, {@code output_tokens_details}) when the chat names are absent.
     */
    public static RawUsage fromOpenAi(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return RawUsage.none(RawUsage.Format.OPENAI);
        }
        boolean chat = usage.has("prompt_tokens") || usage.has("completion_tokens");
        long prompt = Json.longOr(usage, chat ? "prompt_tokens" : "input_tokens", 0);
        long completion = Json.longOr(usage, chat ? "completion_tokens" : "output_tokens", 0);
        JsonNode promptDetails = usage.get(chat ? "prompt_tokens_details" : "input_tokens_details");
        JsonNode completionDetails = usage.get(chat ? "completion_tokens_details" : "output_tokens_details");
        long cached = Json.present(promptDetails, "cached_tokens")
                ? Json.longOr(promptDetails, "cached_tokens", 0)
                : Json.longOr(usage, "prompt_cache_hit_tokens", 0);
        long reasoning = Json.longOr(completionDetails, "reasoning_tokens", 0);
        return new RawUsage(RawUsage.Format.OPENAI, prompt, Math.min(cached, prompt), 0, 0, completion,
                Math.min(reasoning, completion));
    }

    /**
     * Anthropic usage: {@code input_tokens} (uncached only), {@code cache_read_input_tokens},
     * {@code cache_creation_input_tokens} split by {@code cache_creation.ephemeral_5m_input_tokens} /
     * {@code ephemeral_1h_input_tokens}, {@code output_tokens}. When the breakdown is absent all
     * cache writes count as 5-minute writes; when the breakdown sums to less than the total, the
     * remainder counts as 5-minute writes so nothing is under-billed.
     */
    public static RawUsage fromAnthropic(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return RawUsage.none(RawUsage.Format.ANTHROPIC);
        }
        long input = Json.longOr(usage, "input_tokens", 0);
        long cacheRead = Json.longOr(usage, "cache_read_input_tokens", 0);
        long cacheWrite = Json.longOr(usage, "cache_creation_input_tokens", 0);
        long output = Json.longOr(usage, "output_tokens", 0);
        JsonNode breakdown = usage.get("cache_creation");
        long w5m;
        long w1h;
        if (breakdown != null && breakdown.isObject()) {
            w5m = Json.longOr(breakdown, "ephemeral_5m_input_tokens", 0);
            w1h = Json.longOr(breakdown, "ephemeral_1h_input_tokens", 0);
            if (w5m + w1h < cacheWrite) {
                w5m += cacheWrite - w5m - w1h;
            }
        } else {
            w5m = cacheWrite;
            w1h = 0;
        }
        return new RawUsage(RawUsage.Format.ANTHROPIC, input, cacheRead, w5m, w1h, output, 0);
    }
}
