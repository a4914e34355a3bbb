package com.agentcostcontrol.router.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the cost of representative calls to the micro-dollar, per dimension. Every expected
 * figure is worked out by hand in the comment above its row (prices from {@link TestModels}).
 */
class CostCalculatorTest {

    /**
     * @param input..reasoning exact USD per dimension (compared by value, scale ignored)
     * @param decimal          {@link Cost#toDecimalString()}
     * @param micros           {@link Cost#totalMicros()}
     * @param tier             threshold of the tier applied, 0 for none
     */
    record Case(String name, ModelPrice price, TokenUsage usage, String input, String cacheRead, String cacheWrite5m,
            String cacheWrite1h, String output, String reasoning, String decimal, long micros, long tier) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // gpt-4o, 1000 prompt + 500 completion tokens:
                // 1000 x 0.0000025 = 0.0025; 500 x 0.00001 = 0.005; total 0.0075 = 7500 micro-USD.
                new Case("gpt-4o plain", TestModels.GPT_4O, TokenUsage.fromOpenAi(1000, 0, 500, 0),
                        "0.0025", "0", "0", "0", "0.005", "0", "0.007500", 7500, 0),

                // gpt-4o, prompt_tokens 10000 of which cached_tokens 8000 (OpenAI counts cached INSIDE
                // prompt_tokens), completion 1000: uncached 2000 x 0.0000025 = 0.005;
                // cached 8000 x 0.00000125 = 0.01; output 1000 x 0.00001 = 0.01; total 0.025.
                new Case("gpt-4o with cached prompt tokens", TestModels.GPT_4O, TokenUsage.fromOpenAi(10_000, 8_000, 1_000, 0),
                        "0.005", "0.01", "0", "0", "0.01", "0", "0.025000", 25_000, 0),

                // claude-sonnet-4-5, input_tokens 1000 (uncached only: Anthropic does NOT count cache
                // reads/writes inside input_tokens), cache_read 50000, 5m write 10000, 1h write 20000,
                // output 2000: 1000 x 0.000003 = 0.003; 50000 x 0.0000003 = 0.015;
                // 10000 x 0.00000375 = 0.0375; 20000 x (2 x 0.000003 = 0.000006, no 1h price listed) = 0.12;
                // 2000 x 0.000015 = 0.03; total 0.2055. Prompt = 81000 tokens < 200k: no tier.
                new Case("claude-sonnet-4-5 cache read + 5m + 1h writes", TestModels.CLAUDE_SONNET_4_5,
                        TokenUsage.fromAnthropic(1_000, 50_000, 10_000, 20_000, 2_000),
                        "0.003", "0.015", "0.0375", "0.12", "0.03", "0", "0.205500", 205_500, 0),

                // claude-sonnet-4-20250514 lists its 1h price (0.000006): the same call costs the same.
                new Case("claude-sonnet-4 listed 1h price", TestModels.CLAUDE_SONNET_4,
                        TokenUsage.fromAnthropic(1_000, 50_000, 10_000, 20_000, 2_000),
                        "0.003", "0.015", "0.0375", "0.12", "0.03", "0", "0.205500", 205_500, 0),

                // o3, prompt 5000 (1000 cached), completion 3000 of which reasoning 2500 (OpenAI counts
                // reasoning INSIDE completion_tokens): uncached 4000 x 0.000002 = 0.008;
                // cached 1000 x 0.0000005 = 0.0005; visible output 500 x 0.000008 = 0.004;
                // reasoning 2500 x 0.000008 (no reasoning price: output price) = 0.02; total 0.0325.
                new Case("o3 with reasoning tokens", TestModels.O3, TokenUsage.fromOpenAi(5_000, 1_000, 3_000, 2_500),
                        "0.008", "0.0005", "0", "0", "0.004", "0.02", "0.032500", 32_500, 0),

                // gemini-2.5-flash, promptTokenCount 12000 incl. 4000 cached, candidates 800 + thoughts
                // 1200: 8000 x 0.0000003 = 0.0024; 4000 x 0.00000003 = 0.00012; 800 x 0.0000025 = 0.002;
                // 1200 x 0.0000025 (reasoning price) = 0.003; total 0.00752.
                new Case("gemini-2.5-flash with thoughts", TestModels.GEMINI_2_5_FLASH,
                        TokenUsage.fromGemini(12_000, 4_000, 800, 1_200),
                        "0.0024", "0.00012", "0", "0", "0.002", "0.003", "0.007520", 7_520, 0),

                // claude-sonnet-4-5 above 200k: input 150000 + cache read 40000 + 5m write 15000 + 1h write
                // 1000 = 206000 > 200000, so EVERY token uses the tier: 150000 x 0.000006 = 0.9;
                // 40000 x 0.0000006 = 0.024; 15000 x 0.0000075 = 0.1125; 1h: no tier price listed, scales
                // with input (x2): 0.000006 x 2 = 0.000012, x 1000 = 0.012; output 4000 x 0.0000225 = 0.09;
                // total 1.1385.
                new Case("claude-sonnet-4-5 above 200k", TestModels.CLAUDE_SONNET_4_5,
                        TokenUsage.fromAnthropic(150_000, 40_000, 15_000, 1_000, 4_000),
                        "0.9", "0.024", "0.1125", "0.012", "0.09", "0", "1.138500", 1_138_500, 200_000),

                // gemini-2.5-pro above 200k: prompt 250000 incl. 100000 cached; candidates 2000 + thoughts
                // 3000. Tier: input 0.0000025, output 0.000015; the cache read has no tier price, so it
                // scales with input (x2): 0.0000003125 x 2 = 0.000000625. 150000 x 0.0000025 = 0.375;
                // 100000 x 0.000000625 = 0.0625; 2000 x 0.000015 = 0.03; 3000 x 0.000015 = 0.045;
                // total 0.5125.
                new Case("gemini-2.5-pro above 200k", TestModels.GEMINI_2_5_PRO,
                        TokenUsage.fromGemini(250_000, 100_000, 2_000, 3_000),
                        "0.375", "0.0625", "0", "0", "0.03", "0.045", "0.512500", 512_500, 200_000),

                // grok-4 above 128k: 130000 x 0.000006 = 0.78; 1000 x 0.000030 = 0.03; total 0.81.
                new Case("grok-4 above 128k", TestModels.GROK_4, TokenUsage.fromOpenAi(130_000, 0, 1_000, 0),
                        "0.78", "0", "0", "0", "0.03", "0", "0.810000", 810_000, 128_000),

                // grok-4 at exactly 128000 tokens is not above the threshold: 128000 x 0.000003 = 0.384;
                // 1000 x 0.000015 = 0.015; total 0.399.
                new Case("grok-4 at the threshold", TestModels.GROK_4, TokenUsage.fromOpenAi(128_000, 0, 1_000, 0),
                        "0.384", "0", "0", "0", "0.015", "0", "0.399000", 399_000, 0),

                // text-embedding-3-small, 123456 input tokens: 123456 x 0.00000002 = 0.00246912
                // = 2469.12 micro-USD, rounded once to 2469.
                new Case("embedding", TestModels.TEXT_EMBEDDING_3_SMALL, TokenUsage.ofEmbedding(123_456),
                        "0.00246912", "0", "0", "0", "0", "0", "0.002469", 2_469, 0),

                // Half a micro-dollar rounds up: gpt-4o, 1 input token = 0.0000025 = 2.5 micro-USD -> 3
                // (half-even would give 2).
                new Case("half micro-dollar rounds up", TestModels.GPT_4O, TokenUsage.fromOpenAi(1, 0, 0, 0),
                        "0.0000025", "0", "0", "0", "0", "0", "0.000003", 3, 0),

                // Rounded once, at the end: gpt-4o-mini, 30 prompt tokens of which 20 cached:
                // 10 x 0.00000015 = 0.0000015 (1.5 micro); 20 x 0.000000075 = 0.0000015 (1.5 micro);
                // total exactly 3 micro-USD (rounding each dimension first would give 2 + 2 = 4).
                new Case("rounded once at the end", TestModels.GPT_4O_MINI, TokenUsage.fromOpenAi(30, 20, 0, 0),
                        "0.0000015", "0.0000015", "0", "0", "0", "0", "0.000003", 3, 0),

                // Below half a micro-dollar rounds down: gpt-4o-mini, 3 input tokens = 0.00000045 -> 0.
                new Case("below half rounds down", TestModels.GPT_4O_MINI, TokenUsage.fromOpenAi(3, 0, 0, 0),
                        "0.00000045", "0", "0", "0", "0", "0", "0.000000", 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pinsTheCostPerDimension(Case c) {
        Cost cost = CostCalculator.cost(c.price(), c.usage());
        assertDecimal(c.input(), cost.input(), "input");
        assertDecimal(c.cacheRead(), cost.cacheRead(), "cache read");
        assertDecimal(c.cacheWrite5m(), cost.cacheWrite5m(), "cache write 5m");
        assertDecimal(c.cacheWrite1h(), cost.cacheWrite1h(), "cache write 1h");
        assertDecimal(c.output(), cost.output(), "output");
        assertDecimal(c.reasoning(), cost.reasoning(), "reasoning");
        assertEquals(c.decimal(), cost.toDecimalString(), "decimal string");
        assertEquals(c.micros(), cost.totalMicros(), "micros");
        assertEquals(c.tier(), cost.tierAboveTokens(), "tier");
        BigDecimal sum = cost.input().add(cost.cacheRead()).add(cost.cacheWrite5m()).add(cost.cacheWrite1h())
                .add(cost.output()).add(cost.reasoning());
        assertEquals(0, sum.compareTo(cost.total()), "total is the sum of the dimensions");
    }

    @Test
    void openAiCachedTokensAreNotBilledTwice() {
        // The peers' bug: adding cached_tokens on top of prompt_tokens would bill
        // 10000 x 0.0000025 + 8000 x 0.00000125 + 0.01 = 0.045 instead of 0.025.
        Cost cost = CostCalculator.cost(TestModels.GPT_4O, TokenUsage.fromOpenAi(10_000, 8_000, 1_000, 0));
        assertEquals(25_000, cost.totalMicros());
        assertNotEquals(45_000, cost.totalMicros());
    }

    @Test
    void anthropicCacheTokensAreAddedToInput() {
        // The mirror bug: subtracting cache tokens from Anthropic's input_tokens would go negative
        // or bill nothing. 1000 uncached + 50000 read are both billed: 0.003 + 0.015 = 0.018.
        Cost cost = CostCalculator.cost(TestModels.CLAUDE_SONNET_4_5, TokenUsage.fromAnthropic(1_000, 50_000, 0, 0, 0));
        assertEquals("0.018000", cost.toDecimalString());
        assertEquals(51_000, TokenUsage.fromAnthropic(1_000, 50_000, 0, 0, 0).totalInputTokens());
    }

    @Test
    void tierStartsOnlyAboveTwoHundredThousandPromptTokens() {
        // Exactly 200000 prompt tokens: base prices. 200000 x 0.000003 = 0.6; 100 x 0.000015 = 0.0015.
        Cost at = CostCalculator.cost(TestModels.CLAUDE_SONNET_4_5, TokenUsage.fromAnthropic(200_000, 0, 0, 0, 100));
        assertEquals(601_500, at.totalMicros());
        assertEquals(0, at.tierAboveTokens());
        // One token more (counting a cache read) and every token moves to the tier:
        // 200000 x 0.000006 = 1.2; 1 x 0.0000006 = 0.0000006; 100 x 0.0000225 = 0.00225; total 1.2022506.
        Cost above = CostCalculator.cost(TestModels.CLAUDE_SONNET_4_5, TokenUsage.fromAnthropic(200_000, 1, 0, 0, 100));
        assertEquals("1.202251", above.toDecimalString());
        assertEquals(1_202_251, above.totalMicros());
    }

    @Test
    void aSeparateReasoningPriceIsUsed() {
        // A model whose reasoning tokens cost more than its visible output (as some Qwen models list).
        ModelPrice thinker = ModelPrice.builder("thinker", "custom", Mode.CHAT)
                .price(PriceField.INPUT, "1e-06").price(PriceField.OUTPUT, "2e-06").price(PriceField.REASONING, "4e-06")
                .build();
        // 100 x 0.000001 = 0.0001; 300 visible x 0.000002 = 0.0006; 700 reasoning x 0.000004 = 0.0028.
        Cost cost = CostCalculator.cost(thinker, TokenUsage.fromOpenAi(100, 0, 1_000, 700));
        assertDecimal("0.0006", cost.output(), "output");
        assertDecimal("0.0028", cost.reasoning(), "reasoning");
        assertEquals(3_500, cost.totalMicros());
    }

    @Test
    void missingCachePricesFallBackToInput() {
        // deepseek-reasoner lists a cache-read price but no cache-write price: a 5m write is billed
        // as input (1000 x 0.00000055 = 0.00055), a 1h write at 2 x input (1000 x 0.0000011 = 0.0011).
        Cost cost = CostCalculator.cost(TestModels.DEEPSEEK_REASONER, new TokenUsage(0, 0, 1_000, 1_000, 0, 0));
        assertDecimal("0.00055", cost.cacheWrite5m(), "5m");
        assertDecimal("0.0011", cost.cacheWrite1h(), "1h");
        // deepseek-chat lists its cache write as 0.0: a listed zero is a price, not a gap.
        assertDecimal("0", CostCalculator.cost(TestModels.DEEPSEEK_CHAT, new TokenUsage(0, 0, 1_000, 0, 0, 0)).total(), "0");
        // A model without a cache-read price bills cached tokens at the input price: 1000 x 0.000003.
        Cost noCache = CostCalculator.cost(TestModels.CLAUDE_3_5_SONNET_1022, TokenUsage.fromAnthropic(0, 1_000, 0, 0, 0));
        assertDecimal("0.003", noCache.cacheRead(), "cache read");
    }

    @Test
    void decimalStringNeverUsesScientificNotation() {
        assertEquals("0.000000", Cost.ZERO.toDecimalString());
        assertEquals("0.000001", Cost.microsToDecimalString(1));
        assertEquals("1234.567891", Cost.microsToDecimalString(1_234_567_891L));
        assertTrue(!CostCalculator.cost(TestModels.GPT_4O_MINI, TokenUsage.fromOpenAi(1, 0, 0, 0)).toDecimalString().contains("E"));
    }

    static void assertDecimal(String expected, BigDecimal actual, String what) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual),
                () -> what + ": expected " + expected + " but was " + actual.toPlainString());
    }
}
