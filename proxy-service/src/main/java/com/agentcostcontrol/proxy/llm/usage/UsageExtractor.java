package com.agentcostcontrol.proxy.llm.usage;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.fasterxml.jackson.databind.JsonNode;

/** Reads a provider's {@code usage} object into {@link TokenCounts}, respecting each format's convention. */
public final class UsageExtractor {

    private UsageExtractor() {
    }

    public static TokenCounts read(ApiFormat format, JsonNode usage) {
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
            return TokenCounts.fromOpenAi(prompt, cached, completion, out.path("reasoning_tokens").asLong(0));
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
        return TokenCounts.fromAnthropic(input, read, Math.max(0, w5m), w1h, usage.path("output_tokens").asLong(0));
    }
}
