package com.agentcostcontrol.proxy.llm.usage;

import com.agentcostcontrol.router.pricing.TokenUsage;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.fasterxml.jackson.databind.JsonNode;

/** Reads a provider's {@code usage} object into {@link TokenUsage}, respecting each format's convention. */
public final class UsageExtractor {

    private UsageExtractor() {
    }

    public static TokenUsage read(ApiFormat format, JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        if (format == ApiFormat.OPENAI) {
            long prompt = usage.path("prompt_tokens").asLong(usage.path("input_tokens").asLong(0));
            long completion = usage.path("completion_tokens").asLong(usage.path("output_tokens").asLong(0));
            JsonNode details = usage.has("prompt_tokens_details") ? usage.get("prompt_tokens_details") : usage.path("input_tokens_details");
            long cached = details.path("cached_tokens").isNumber() ? details.path("cached_tokens").asLong()
                    : usage.path("prompt_cache_hit_tokens").asLong(0);
            JsonNode out = usage.has("completion_tokens_details") ? usage.get("completion_tokens_details")
                    : usage.path("output_tokens_details");
            prompt = Math.max(0, prompt);
            completion = Math.max(0, completion);
            long reasoning = Math.max(0, Math.min(out.path("reasoning_tokens").asLong(0), completion));
            return TokenUsage.fromOpenAi(prompt, Math.max(0, Math.min(cached, prompt)), completion, reasoning);
        }
        long input = usage.path("input_tokens").asLong(0);
        long read = usage.path("cache_read_input_tokens").asLong(0);
        long write = usage.path("cache_creation_input_tokens").asLong(0);
        JsonNode split = usage.path("cache_creation");
        long w1h = split.path("ephemeral_1h_input_tokens").asLong(0);
        long w5m = split.has("ephemeral_5m_input_tokens") ? split.path("ephemeral_5m_input_tokens").asLong(0) : write - w1h;
        if (w5m + w1h < write) {
            w5m = write - w1h;
        }
        return TokenUsage.fromAnthropic(Math.max(0, input), Math.max(0, read), Math.max(0, w5m), Math.max(0, w1h),
                Math.max(0, usage.path("output_tokens").asLong(0)));
    }
}
