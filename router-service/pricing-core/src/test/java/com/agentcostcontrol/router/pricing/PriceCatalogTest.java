package com.agentcostcontrol.router.pricing;

import static com.agentcostcontrol.router.pricing.CostCalculatorTest.assertDecimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceCatalogTest {

    private static final String TENANT_A = "0b9a4a8e-0000-4000-8000-00000000000a";
    private static final String TENANT_B = "0b9a4a8e-0000-4000-8000-00000000000b";

    private final PriceCatalog catalog = TestModels.catalog();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "NONE", value = {
            "gpt-4o, gpt-4o",                                         // exact
            "GPT-4o, gpt-4o",                                         // case-insensitive
            "openai/gpt-4o, gpt-4o",                                  // provider prefix stripped
            "OpenAI/gpt-4o, gpt-4o",
            "azure/gpt-4o, azure/gpt-4o",                             // a provider's own entry wins (exact)
            "anthropic/claude-sonnet-4-5, claude-sonnet-4-5",
            "claude-sonnet-4-5-20991231, claude-sonnet-4-5",          // unknown dated snapshot -> undated entry
            "claude-sonnet-4-5-latest, claude-sonnet-4-5",
            "claude-sonnet-4, claude-sonnet-4-20250514",              // undated -> newest dated snapshot
            "claude-3-5-sonnet, claude-3-5-sonnet-20241022",          // the newest of two snapshots
            "anthropic/claude-3-5-sonnet, claude-3-5-sonnet-20241022",
            "claude-3-5-sonnet-20240620, claude-3-5-sonnet-20240620", // an existing snapshot stays itself
            "gpt-4o-2024-08-06, gpt-4o-2024-08-06",
            "gpt-4o-2030-01-01, gpt-4o",                              // unknown OpenAI-style date
            "deepseek-chat, deepseek/deepseek-chat",                  // unprefixed -> the provider's prefixed entry
            "gemini-2.5-pro, gemini/gemini-2.5-pro",
            "grok-4-0709, xai/grok-4-0709",
            "openai/claude-sonnet-4-5, NONE",                         // prefix names another provider: no match
            "acme/gpt-4o, NONE",                                      // unknown prefix: no guessing
            "no-such-model, NONE",
            "' ', NONE" })
    void resolvesAliases(String requested, String expected) {
        assertEquals(Optional.ofNullable(expected), catalog.resolve(requested));
    }

    @Test
    void unknownModelHasNoPriceAndRequireExplains() {
        assertTrue(catalog.lookup("no-such-model").isEmpty());
        assertTrue(catalog.lookup(TENANT_A, "no-such-model").isEmpty());
        UnknownModelException e = assertThrows(UnknownModelException.class, () -> catalog.require(TENANT_A, "no-such-model"));
        assertEquals("no-such-model", e.model());
        assertTrue(e.getMessage().contains("GET /v1/routing/models"), e.getMessage());
    }

    @Test
    void tenantOverrideMergesFieldByFieldForThatTenantOnly() {
        List<String> rejected = new ArrayList<>();
        PriceCatalog withOverrides = catalog.withOverrides(List.of(
                new TenantPriceOverride(TENANT_A, "openai/gpt-4o", Map.of(PriceField.INPUT, new java.math.BigDecimal("0.000002")))),
                rejected::add);
        assertEquals(List.of(), rejected);
        assertEquals(1, withOverrides.overrideCount());

        ModelPrice a = withOverrides.lookup(TENANT_A, "gpt-4o").orElseThrow();
        assertDecimal("0.000002", a.inputCostPerToken(), "overridden input");
        assertDecimal("0.00001", a.outputCostPerToken(), "inherited output");
        assertDecimal("0.00000125", a.price(PriceField.CACHE_READ), "inherited cache read");
        assertEquals(ModelPrice.SOURCE_OVERRIDE, a.source());
        assertEquals(128_000, a.contextWindow());

        // Tenant A, gpt-4o, prompt 10000 (8000 cached), completion 1000:
        // 2000 x 0.000002 = 0.004; 8000 x 0.00000125 = 0.01; 1000 x 0.00001 = 0.01; total 0.024.
        TokenUsage usage = TokenUsage.fromOpenAi(10_000, 8_000, 1_000, 0);
        assertEquals(24_000, CostCalculator.cost(a, usage).totalMicros());
        // Tenant B and the operator (no tenant) pay the list price: 0.025.
        assertEquals(25_000, CostCalculator.cost(withOverrides.lookup(TENANT_B, "gpt-4o").orElseThrow(), usage).totalMicros());
        assertEquals(25_000, CostCalculator.cost(withOverrides.lookup(null, "gpt-4o").orElseThrow(), usage).totalMicros());
        assertEquals(ModelPrice.SOURCE_LITELLM, withOverrides.lookup(TENANT_B, "gpt-4o").orElseThrow().source());
        // The tenant's view of the whole catalog carries the override too.
        assertDecimal("0.000002", withOverrides.models(TENANT_A).stream().filter(m -> m.model().equals("gpt-4o"))
                .findFirst().orElseThrow().inputCostPerToken(), "listed for tenant A");
    }

    @Test
    void overrideOfAnUnknownModelDefinesATenantOnlyModelWhenComplete() {
        List<String> rejected = new ArrayList<>();
        PriceCatalog withOverrides = catalog.withOverrides(List.of(
                new TenantPriceOverride(TENANT_A, "acme-finetune-7b", Map.of(
                        PriceField.INPUT, new java.math.BigDecimal("1e-07"), PriceField.OUTPUT, new java.math.BigDecimal("2e-07"))),
                new TenantPriceOverride(TENANT_A, "half-priced-model", Map.of(PriceField.INPUT, new java.math.BigDecimal("1e-07"))),
                new TenantPriceOverride(TENANT_A, "gpt-4o", Map.of(PriceField.OUTPUT, new java.math.BigDecimal("9e-06"))),
                new TenantPriceOverride(TENANT_A, "GPT-4O", Map.of(PriceField.OUTPUT, new java.math.BigDecimal("8e-06")))),
                rejected::add);
        ModelPrice own = withOverrides.lookup(TENANT_A, "acme-finetune-7b").orElseThrow();
        assertEquals(ModelPrice.PROVIDER_CUSTOM, own.provider());
        // 1000 x 0.0000001 + 1000 x 0.0000002 = 0.0003.
        assertEquals(300, CostCalculator.cost(own, TokenUsage.fromOpenAi(1_000, 0, 1_000, 0)).totalMicros());
        assertTrue(withOverrides.lookup(TENANT_B, "acme-finetune-7b").isEmpty());
        assertEquals(2, rejected.size(), rejected.toString());
        assertTrue(rejected.get(0).contains("half-priced-model"), rejected.get(0));
        assertTrue(rejected.get(1).contains("second price override"), rejected.get(1));
        assertDecimal("0.000009", withOverrides.lookup(TENANT_A, "gpt-4o").orElseThrow().outputCostPerToken(), "first wins");
    }

    @Test
    void countsAndListsByProvider() {
        Map<String, Integer> counts = catalog.countsByProvider();
        assertEquals(5, counts.get("openai")); // gpt-4o, gpt-4o-mini, o3, text-embedding-3-small, gpt-4o-2024-08-06
        assertEquals(4, counts.get("anthropic"));
        assertEquals(TestModels.ALL.size(), catalog.size());
        List<ModelPrice> all = catalog.models();
        assertEquals("anthropic", all.get(0).provider());
        assertSame(TestModels.AZURE_GPT_4O, catalog.lookup("azure/gpt-4o").orElseThrow());
        assertFalse(PriceCatalog.empty().lookup("gpt-4o").isPresent());
    }

    @Test
    void duplicateNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PriceCatalog.of(List.of(TestModels.GPT_4O, TestModels.GPT_4O)));
    }

    @Test
    void invalidPricesAreRefused() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> ModelPrice.builder("bad", "openai", Mode.CHAT).price(PriceField.INPUT, "-1e-06").price(PriceField.OUTPUT, "1e-06").build());
        assertTrue(negative.getMessage().contains("negative input_cost_per_token"), negative.getMessage());
        IllegalArgumentException noOutput = assertThrows(IllegalArgumentException.class,
                () -> ModelPrice.builder("bad", "openai", Mode.CHAT).price(PriceField.INPUT, "1e-06").build());
        assertTrue(noOutput.getMessage().contains("missing output_cost_per_token"), noOutput.getMessage());
        // An embedding model needs no output price.
        assertEquals(0, ModelPrice.builder("emb", "openai", Mode.EMBEDDING).price(PriceField.INPUT, "1e-08").build()
                .outputCostPerToken().signum());
        assertThrows(IllegalArgumentException.class,
                () -> new TenantPriceOverride(TENANT_A, "gpt-4o", Map.of(PriceField.OUTPUT, new java.math.BigDecimal("-0.1"))));
    }
}
