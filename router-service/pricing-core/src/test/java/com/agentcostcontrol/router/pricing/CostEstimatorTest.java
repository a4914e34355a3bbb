package com.agentcostcontrol.router.pricing;

import static com.agentcostcontrol.router.pricing.CostCalculatorTest.assertDecimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class CostEstimatorTest {

    @Test
    void openAiModelReservesInputAtInputPriceAndRequestedOutput() {
        // gpt-4o, 1000 input tokens, max_tokens 100: 1000 x 0.0000025 = 0.0025;
        // 100 x 0.00001 = 0.001; total 0.0035. OpenAI bills no cache writes, so input stays at 0.0000025.
        Cost c = CostEstimator.worstCase(TestModels.GPT_4O, 1_000, 100);
        assertDecimal("0.0025", c.input(), "input");
        assertDecimal("0.001", c.output(), "output");
        assertEquals(3_500, c.totalMicros());
    }

    @Test
    void withoutMaxTokensTheModelsMaxOutputIsUsed() {
        // claude-sonnet-4-5, 10000 input tokens, no max_tokens: input at the highest input price
        // the call could incur, a 1h cache write = 2 x 0.000003 = 0.000006, x 10000 = 0.06;
        // output 64000 (model max) x 0.000015 = 0.96; total 1.02.
        Cost c = CostEstimator.worstCase(TestModels.CLAUDE_SONNET_4_5, 10_000, null);
        assertDecimal("0.06", c.input(), "input");
        assertDecimal("0.96", c.output(), "output");
        assertEquals(1_020_000, c.totalMicros());
        // With max_tokens 1000: 0.06 + 1000 x 0.000015 = 0.075.
        assertEquals(75_000, CostEstimator.worstCase(TestModels.CLAUDE_SONNET_4_5, 10_000, 1_000).totalMicros());
        // A max_tokens above the model's max is capped at it: same as no max_tokens.
        assertEquals(1_020_000, CostEstimator.worstCase(TestModels.CLAUDE_SONNET_4_5, 10_000, 500_000).totalMicros());
    }

    @Test
    void estimatedPromptAboveTheThresholdReservesAtTierPrices() {
        // claude-sonnet-4-5, 250000 input tokens, max_tokens 1000: tier input 0.000006, tier 5m write
        // 0.0000075, 1h write scales with input to 0.000012 -> 250000 x 0.000012 = 3.0;
        // output 1000 x 0.0000225 = 0.0225; total 3.0225.
        Cost c = CostEstimator.worstCase(TestModels.CLAUDE_SONNET_4_5, 250_000, 1_000);
        assertEquals(200_000, c.tierAboveTokens());
        assertEquals("3.022500", c.toDecimalString());
    }

    @Test
    void aListedZeroCacheWriteDoesNotInflateTheReservation() {
        // deepseek-chat lists cache writes at 0.0, so it bills no 1-hour writes: 10000 x 0.00000027
        // = 0.0027; output 100 x 0.0000011 = 0.00011; total 0.00281.
        assertEquals(2_810, CostEstimator.worstCase(TestModels.DEEPSEEK_CHAT, 10_000, 100).totalMicros());
    }

    @Test
    void embeddingReservesInputOnly() {
        // 5000 x 0.00000002 = 0.0001.
        Cost c = CostEstimator.worstCase(TestModels.TEXT_EMBEDDING_3_SMALL, 5_000, null);
        assertEquals(100, c.totalMicros());
        assertEquals(0, c.output().signum());
    }

    @Test
    void maxOutputFallsBackToContextWindowThenDefault() {
        ModelPrice noMax = ModelPrice.builder("m", "custom", Mode.CHAT).price(PriceField.INPUT, "1e-06")
                .price(PriceField.OUTPUT, "1e-06").contextWindow(8_000).build();
        assertEquals(6_000, CostEstimator.maxOutputTokens(noMax, 2_000, null));
        ModelPrice unbounded = ModelPrice.builder("m", "custom", Mode.CHAT).price(PriceField.INPUT, "1e-06")
                .price(PriceField.OUTPUT, "1e-06").build();
        assertEquals(CostEstimator.DEFAULT_MAX_OUTPUT_TOKENS, CostEstimator.maxOutputTokens(unbounded, 2_000, null));
        assertEquals(50, CostEstimator.maxOutputTokens(unbounded, 2_000, 50));
    }

    @Test
    void theReservationBoundsEveryWayTheCallCanTurnOut() {
        // Same prompt size and output limit, every split of it into cache categories and reasoning.
        long prompt = 30_000;
        int maxOut = 2_000;
        for (ModelPrice m : List.of(TestModels.GPT_4O, TestModels.CLAUDE_SONNET_4_5, TestModels.CLAUDE_SONNET_4,
                TestModels.O3, TestModels.GEMINI_2_5_FLASH, TestModels.DEEPSEEK_CHAT, TestModels.DEEPSEEK_REASONER)) {
            long bound = CostEstimator.worstCase(m, prompt, maxOut).totalMicros();
            // Only models with premium cache writes (Anthropic's) ever report cache writes.
            boolean cacheWrites = CostEstimator.billsOneHourWrites(m);
            List<TokenUsage> outcomes = List.of(
                    new TokenUsage(prompt, 0, 0, 0, maxOut, 0),
                    new TokenUsage(0, prompt, 0, 0, maxOut, maxOut),
                    cacheWrites ? new TokenUsage(0, 0, prompt, 0, maxOut, 0) : new TokenUsage(prompt, 0, 0, 0, 0, 0),
                    cacheWrites ? new TokenUsage(0, 0, 0, prompt, maxOut, 1_000) : new TokenUsage(10, prompt - 10, 0, 0, 1, 1),
                    new TokenUsage(prompt / 3, prompt / 3, cacheWrites ? prompt / 3 : 0, 0, maxOut, maxOut / 2));
            for (TokenUsage u : outcomes) {
                long actual = CostCalculator.cost(m, u).totalMicros();
                assertTrue(actual <= bound, m.model() + " " + u + ": " + actual + " > reserved " + bound);
            }
        }
    }
}
