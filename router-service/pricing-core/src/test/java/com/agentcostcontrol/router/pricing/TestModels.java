package com.agentcostcontrol.router.pricing;

import static com.agentcostcontrol.router.pricing.PriceField.*;

import java.util.List;

/**
 * Catalog entries used by the unit tests, with every price typed in exactly as the LiteLLM
 * snapshot (model_prices_and_context_window.json, 2025-12) writes it. The database round-trip
 * test checks that the generated V2 migration carries the same figures.
 */
final class TestModels {

    private TestModels() {
    }

    /** gpt-4o: input 2.5e-06, output 1e-05, cache read 1.25e-06 ($2.50 / $10 / $1.25 per MTok). */
    static final ModelPrice GPT_4O = ModelPrice.builder("gpt-4o", "openai", Mode.CHAT)
            .price(INPUT, "2.5e-06").price(OUTPUT, "1e-05").price(CACHE_READ, "1.25e-06")
            .contextWindow(128_000).maxOutputTokens(16_384)
            .capability(Capability.TOOLS).capability(Capability.VISION).capability(Capability.JSON)
            .capability(Capability.CACHING).build();

    /** gpt-4o-mini: input 1.5e-07, output 6e-07, cache read 7.5e-08. */
    static final ModelPrice GPT_4O_MINI = ModelPrice.builder("gpt-4o-mini", "openai", Mode.CHAT)
            .price(INPUT, "1.5e-07").price(OUTPUT, "6e-07").price(CACHE_READ, "7.5e-08")
            .contextWindow(128_000).maxOutputTokens(16_384).build();

    /** o3: input 2e-06, output 8e-06, cache read 5e-07; no separate reasoning price. */
    static final ModelPrice O3 = ModelPrice.builder("o3", "openai", Mode.CHAT)
            .price(INPUT, "2e-06").price(OUTPUT, "8e-06").price(CACHE_READ, "5e-07")
            .contextWindow(200_000).maxOutputTokens(100_000).capability(Capability.REASONING).build();

    /**
     * claude-sonnet-4-5: input 3e-06, output 1.5e-05, cache read 3e-07, cache write (5m) 3.75e-06,
     * no 1h price (falls back to 2 x input = 6e-06); above 200k: input 6e-06, output 2.25e-05,
     * cache read 6e-07, cache write 7.5e-06.
     */
    static final ModelPrice CLAUDE_SONNET_4_5 = ModelPrice.builder("claude-sonnet-4-5", "anthropic", Mode.CHAT)
            .price(INPUT, "3e-06").price(OUTPUT, "1.5e-05").price(CACHE_READ, "3e-07").price(CACHE_WRITE_5M, "3.75e-06")
            .price(INPUT_ABOVE_200K, "6e-06").price(OUTPUT_ABOVE_200K, "2.25e-05")
            .price(CACHE_READ_ABOVE_200K, "6e-07").price(CACHE_WRITE_ABOVE_200K, "7.5e-06")
            .contextWindow(200_000).maxOutputTokens(64_000).build();

    /** claude-sonnet-4-20250514: as Sonnet 4.5, and it lists the 1h write price, 6e-06. */
    static final ModelPrice CLAUDE_SONNET_4 = ModelPrice.builder("claude-sonnet-4-20250514", "anthropic", Mode.CHAT)
            .price(INPUT, "3e-06").price(OUTPUT, "1.5e-05").price(CACHE_READ, "3e-07").price(CACHE_WRITE_5M, "3.75e-06")
            .price(CACHE_WRITE_1H, "6e-06").price(INPUT_ABOVE_200K, "6e-06").price(OUTPUT_ABOVE_200K, "2.25e-05")
            .price(CACHE_READ_ABOVE_200K, "6e-07").price(CACHE_WRITE_ABOVE_200K, "7.5e-06")
            .contextWindow(1_000_000).maxOutputTokens(64_000).build();

    /** gemini/gemini-2.5-pro: input 1.25e-06, output 1e-05, cache read 3.125e-07; above 200k: 2.5e-06 / 1.5e-05, no cache-read tier price. */
    static final ModelPrice GEMINI_2_5_PRO = ModelPrice.builder("gemini/gemini-2.5-pro", "gemini", Mode.CHAT)
            .price(INPUT, "1.25e-06").price(OUTPUT, "1e-05").price(CACHE_READ, "3.125e-07")
            .price(INPUT_ABOVE_200K, "2.5e-06").price(OUTPUT_ABOVE_200K, "1.5e-05")
            .contextWindow(1_048_576).maxOutputTokens(65_535).build();

    /** gemini/gemini-2.5-flash: input 3e-07, output 2.5e-06, reasoning 2.5e-06, cache read 3e-08. */
    static final ModelPrice GEMINI_2_5_FLASH = ModelPrice.builder("gemini/gemini-2.5-flash", "gemini", Mode.CHAT)
            .price(INPUT, "3e-07").price(OUTPUT, "2.5e-06").price(REASONING, "2.5e-06").price(CACHE_READ, "3e-08")
            .contextWindow(1_048_576).maxOutputTokens(65_535).build();

    /** xai/grok-4-0709: input 0.000003, output 0.000015; above 128k: 0.000006 / 0.000030. */
    static final ModelPrice GROK_4 = ModelPrice.builder("xai/grok-4-0709", "xai", Mode.CHAT)
            .price(INPUT, "0.000003").price(OUTPUT, "0.000015")
            .price(INPUT_ABOVE_128K, "0.000006").price(OUTPUT_ABOVE_128K, "0.000030")
            .contextWindow(256_000).maxOutputTokens(256_000).build();

    /** text-embedding-3-small: input 2e-08, output 0.0. */
    static final ModelPrice TEXT_EMBEDDING_3_SMALL = ModelPrice.builder("text-embedding-3-small", "openai", Mode.EMBEDDING)
            .price(INPUT, "2e-08").price(OUTPUT, "0.0").contextWindow(8191).build();

    /** deepseek/deepseek-chat: input 2.7e-07, output 1.1e-06, cache read 7e-08, cache write 0.0. */
    static final ModelPrice DEEPSEEK_CHAT = ModelPrice.builder("deepseek/deepseek-chat", "deepseek", Mode.CHAT)
            .price(INPUT, "2.7e-07").price(OUTPUT, "1.1e-06").price(CACHE_READ, "7e-08").price(CACHE_WRITE_5M, "0.0")
            .contextWindow(65_536).maxOutputTokens(8192).build();

    /**
     * deepseek/deepseek-reasoner: input 5.5e-07, output 2.19e-06; its cache-read price is listed as
     * input_cost_per_token_cache_hit 1.4e-07, which the generator maps to the cache-read column.
     */
    static final ModelPrice DEEPSEEK_REASONER = ModelPrice.builder("deepseek/deepseek-reasoner", "deepseek", Mode.CHAT)
            .price(INPUT, "5.5e-07").price(OUTPUT, "2.19e-06").price(CACHE_READ, "1.4e-07")
            .contextWindow(65_536).maxOutputTokens(8192).build();

    /** azure/gpt-4o: Azure's own entry (2.5e-06 / 1e-05). */
    static final ModelPrice AZURE_GPT_4O = ModelPrice.builder("azure/gpt-4o", "azure", Mode.CHAT)
            .price(INPUT, "2.5e-06").price(OUTPUT, "1e-05").price(CACHE_READ, "1.25e-06").build();

    /** gpt-4o-2024-08-06: a dated OpenAI snapshot, same prices as gpt-4o. */
    static final ModelPrice GPT_4O_2024_08_06 = ModelPrice.builder("gpt-4o-2024-08-06", "openai", Mode.CHAT)
            .price(INPUT, "2.5e-06").price(OUTPUT, "1e-05").price(CACHE_READ, "1.25e-06").build();

    /** claude-3-5-sonnet-20240620 and -20241022: two snapshots of one undated name. */
    static final ModelPrice CLAUDE_3_5_SONNET_0620 = ModelPrice.builder("claude-3-5-sonnet-20240620", "anthropic", Mode.CHAT)
            .price(INPUT, "3e-06").price(OUTPUT, "1.5e-05").build();
    static final ModelPrice CLAUDE_3_5_SONNET_1022 = ModelPrice.builder("claude-3-5-sonnet-20241022", "anthropic", Mode.CHAT)
            .price(INPUT, "3e-06").price(OUTPUT, "1.5e-05").build();

    static final List<ModelPrice> ALL = List.of(GPT_4O, GPT_4O_MINI, O3, CLAUDE_SONNET_4_5, CLAUDE_SONNET_4, GEMINI_2_5_PRO,
            GEMINI_2_5_FLASH, GROK_4, TEXT_EMBEDDING_3_SMALL, DEEPSEEK_CHAT, DEEPSEEK_REASONER, AZURE_GPT_4O, GPT_4O_2024_08_06,
            CLAUDE_3_5_SONNET_0620, CLAUDE_3_5_SONNET_1022);

    static PriceCatalog catalog() {
        return PriceCatalog.of(ALL);
    }
}
