package com.agentcostcontrol.proxy.llm.usage;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.router.pricing.TokenUsage;
import com.agentcostcontrol.translate.RawUsage;
import com.agentcostcontrol.translate.UsageReader;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Provider usage → pricing-core's {@link TokenUsage}, through llm-translate's {@link UsageReader}
 * so each format's convention (OpenAI cached tokens inside prompt_tokens, Anthropic cache tokens on
 * top of input_tokens) is read in one place.
 */
public final class UsageExtractor {

    private UsageExtractor() {
    }

    /** The usage object of a non-streaming answer in {@code format}, or null when there is none. */
    public static TokenUsage read(ApiFormat format, JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        return toTokenUsage(format == ApiFormat.OPENAI ? UsageReader.fromOpenAi(usage) : UsageReader.fromAnthropic(usage));
    }

    public static TokenUsage toTokenUsage(RawUsage raw) {
        if (raw.format() == RawUsage.Format.OPENAI) {
            long prompt = Math.max(0, raw.inputTokens());
            long completion = Math.max(0, raw.outputTokens());
            return TokenUsage.fromOpenAi(prompt, Math.max(0, Math.min(raw.cachedTokens(), prompt)), completion,
                    Math.max(0, Math.min(raw.reasoningTokens(), completion)));
        }
        return TokenUsage.fromAnthropic(Math.max(0, raw.inputTokens()), Math.max(0, raw.cachedTokens()),
                Math.max(0, raw.cacheCreation5m()), Math.max(0, raw.cacheCreation1h()), Math.max(0, raw.outputTokens()));
    }
}
