package com.agentcostcontrol.router.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenUsageTest {

    @Test
    void openAiCountsCachedInsidePromptAndReasoningInsideCompletion() {
        // usage: {prompt_tokens: 1200, prompt_tokens_details.cached_tokens: 1000,
        //         completion_tokens: 300, completion_tokens_details.reasoning_tokens: 200}
        TokenUsage u = TokenUsage.fromOpenAi(1_200, 1_000, 300, 200);
        assertEquals(new TokenUsage(200, 1_000, 0, 0, 300, 200), u);
        assertEquals(1_200, u.totalInputTokens());
        assertEquals(1_500, u.totalTokens());
    }

    @Test
    void anthropicCountsCacheOutsideInputTokens() {
        // usage: {input_tokens: 50, cache_read_input_tokens: 1000, cache_creation: {ephemeral_5m_input_tokens: 300,
        //         ephemeral_1h_input_tokens: 200}, output_tokens: 80}
        TokenUsage u = TokenUsage.fromAnthropic(50, 1_000, 300, 200, 80);
        assertEquals(new TokenUsage(50, 1_000, 300, 200, 80, 0), u);
        assertEquals(1_550, u.totalInputTokens());
    }

    @Test
    void geminiCountsCachedInsidePromptAndThoughtsOutsideCandidates() {
        TokenUsage u = TokenUsage.fromGemini(1_000, 400, 100, 250);
        assertEquals(new TokenUsage(600, 400, 0, 0, 350, 250), u);
    }

    @Test
    void inconsistentUsageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TokenUsage.fromOpenAi(100, 101, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TokenUsage.fromOpenAi(100, 0, 10, 11));
        assertThrows(IllegalArgumentException.class, () -> TokenUsage.fromAnthropic(-1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TokenUsage.fromGemini(10, 11, 0, 0));
    }
}
