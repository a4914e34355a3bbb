package com.agentcostcontrol.router.pricing;

import static com.agentcostcontrol.router.pricing.CostCalculatorTest.assertDecimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import com.agentcostcontrol.migrations.Migrator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The generated V2 migration round-trips: migrated into a real Postgres test database
 * ({@code acc_test_pricing} + {@code ACC_TEST_DB_SUFFIX}), read back by {@link PriceCatalogLoader},
 * it gives the expected models per provider and exactly the source's prices.
 */
class CatalogDatabaseTest {

    /** Models per provider in the generated catalog (tools/pricing/generate_model_catalog.py output). */
    static final Map<String, Integer> EXPECTED_COUNTS = new TreeMap<>(Map.ofEntries(
            Map.entry("anthropic", 22), Map.entry("azure", 140), Map.entry("azure_ai", 54), Map.entry("bedrock", 221),
            Map.entry("deepseek", 8), Map.entry("fireworks_ai", 246), Map.entry("gemini", 53), Map.entry("groq", 27),
            Map.entry("mistral", 42), Map.entry("mock", 2), Map.entry("openai", 119), Map.entry("openrouter", 103),
            Map.entry("together_ai", 34), Map.entry("vertex_ai", 157), Map.entry("xai", 32)));

    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void migrate() {
        String host = env("ACC_TEST_PG_HOST", "127.0.0.1");
        String port = env("ACC_TEST_PG_PORT", "5432");
        String user = env("ACC_TEST_PG_USER", "postgres");
        String password = env("ACC_TEST_PG_PASSWORD", "");
        String database = "acc_test_pricing" + env("ACC_TEST_DB_SUFFIX", "");
        String base = "jdbc:postgresql://" + host + ":" + port + "/";
        Migrator.createDatabaseIfMissing(base + "postgres", user, password, database);
        Migrator.cleanAndMigrate(base + database, user, password);
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(base + database);
        dataSource.setUser(user);
        dataSource.setPassword(password);
    }

    @Test
    void generatedCatalogLoadsCompletelyWithTheExpectedProviders() throws Exception {
        PriceCatalogLoader.LoadResult result = new PriceCatalogLoader(dataSource).load();
        assertEquals(List.of(), result.rejected());
        assertEquals(EXPECTED_COUNTS, result.catalog().countsByProvider());
        assertEquals(1260, result.catalog().size());
        assertEquals(0, result.catalog().overrideCount());
    }

    @Test
    void unitTestFiguresAreTheCatalogsFigures() throws Exception {
        PriceCatalog catalog = new PriceCatalogLoader(dataSource).load().catalog();
        for (ModelPrice expected : List.of(TestModels.GPT_4O, TestModels.GPT_4O_MINI, TestModels.O3,
                TestModels.CLAUDE_SONNET_4_5, TestModels.CLAUDE_SONNET_4, TestModels.GEMINI_2_5_PRO,
                TestModels.GEMINI_2_5_FLASH, TestModels.GROK_4, TestModels.TEXT_EMBEDDING_3_SMALL,
                TestModels.DEEPSEEK_CHAT, TestModels.DEEPSEEK_REASONER)) {
            ModelPrice loaded = catalog.lookup(expected.model()).orElseThrow();
            assertEquals(expected.model(), loaded.model());
            assertSamePrices(expected, loaded);
            assertEquals(expected.mode(), loaded.mode(), expected.model());
            assertEquals(expected.contextWindow(), loaded.contextWindow(), expected.model());
            assertEquals(expected.maxOutputTokens(), loaded.maxOutputTokens(), expected.model());
        }
    }

    @Test
    void exactPricesAndCapabilities() throws Exception {
        PriceCatalog catalog = new PriceCatalogLoader(dataSource).load().catalog();
        ModelPrice gpt4o = catalog.lookup("gpt-4o").orElseThrow();
        assertEquals(new BigDecimal("0.0000025"), gpt4o.inputCostPerToken()); // JSON 2.5e-06, scale kept exactly
        assertTrue(gpt4o.supports(Capability.TOOLS) && gpt4o.supports(Capability.VISION) && gpt4o.supports(Capability.JSON));
        assertFalse(gpt4o.supports(Capability.REASONING));
        assertEquals(ModelPrice.SOURCE_LITELLM, gpt4o.source());
        // The smallest price in the catalog survives digit for digit (JSON 4.688e-09).
        assertEquals(new BigDecimal("0.000000004688"), catalog.lookup("gemini-1.5-flash-exp-0827").orElseThrow().inputCostPerToken());
        // DeepSeek's input_cost_per_token_cache_hit (1.4e-07) became the cache-read price.
        assertDecimal("0.00000014", catalog.lookup("deepseek/deepseek-r1").orElseThrow().price(PriceField.CACHE_READ), "cache hit");
        // The Claude 3 1h cache-write error is corrected to 2 x input (15e-06 x 2) and marked.
        ModelPrice opus3 = catalog.lookup("claude-3-opus-20240229").orElseThrow();
        assertDecimal("0.00003", opus3.price(PriceField.CACHE_WRITE_1H), "opus 3 1h");
        assertEquals(ModelPrice.SOURCE_OVERRIDE, opus3.source());
        assertEquals(Mode.EMBEDDING, catalog.lookup("text-embedding-3-large").orElseThrow().mode());
        assertEquals(Mode.RESPONSES, catalog.lookup("o1-pro").orElseThrow().mode());
        assertTrue(catalog.lookup("claude-sonnet-4-5").orElseThrow().supports(Capability.REASONING));
        assertTrue(catalog.lookup("dall-e-3").isEmpty(), "image models are not token-priced");
    }

    @Test
    void mockModelsArePricedExactlyLikeTheirTemplates() throws Exception {
        PriceCatalog catalog = new PriceCatalogLoader(dataSource).load().catalog();
        ModelPrice small = catalog.lookup("mock-small").orElseThrow();
        ModelPrice large = catalog.lookup("mock-large").orElseThrow();
        assertEquals("mock", small.provider());
        assertEquals("mock", large.provider());
        assertSamePrices(catalog.lookup("gpt-4o-mini").orElseThrow(), small);
        assertSamePrices(catalog.lookup("claude-sonnet-4-5").orElseThrow(), large);
        assertEquals(128_000, small.contextWindow());
        assertEquals(16_384, small.maxOutputTokens());
        assertEquals(200_000, large.contextWindow());
        assertEquals(64_000, large.maxOutputTokens());
        assertTrue(large.supports(Capability.TOOLS) && large.supports(Capability.REASONING) && large.supports(Capability.CACHING));
        assertFalse(large.supports(Capability.WEB_SEARCH));
        assertEquals(ModelPrice.SOURCE_OVERRIDE, small.source());
        // mock-large above 200k bills like Sonnet 4.5 above 200k: 210000 x 0.000006 + 1000 x 0.0000225 = 1.2825.
        assertEquals(1_282_500, CostCalculator.cost(large, TokenUsage.fromAnthropic(210_000, 0, 0, 0, 1_000)).totalMicros());
    }

    @Test
    void aliasesResolveOnTheRealCatalog() throws Exception {
        PriceCatalog catalog = new PriceCatalogLoader(dataSource).load().catalog();
        Map<String, String> expected = Map.of(
                "openai/gpt-4o", "gpt-4o",
                "anthropic/claude-opus-4-5", "claude-opus-4-5",
                "claude-sonnet-4", "claude-sonnet-4-20250514",
                "claude-3-5-haiku", "claude-3-5-haiku-20241022",
                "claude-sonnet-4-5-20991231", "claude-sonnet-4-5",
                "vertex_ai/claude-sonnet-4-5", "vertex_ai/claude-sonnet-4-5",
                "gemini/gemini-2.5-pro", "gemini/gemini-2.5-pro",
                "grok-4-0709", "xai/grok-4-0709",
                "mistral-large-latest", "mistral/mistral-large-latest");
        expected.forEach((requested, canonical) ->
                assertEquals(canonical, catalog.resolve(requested).orElse(null), requested));
    }

    @Test
    void invalidRowsAreReportedAndSkipped() throws Exception {
        String tenant = "6f1c2d3e-0000-4000-8000-000000000001";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO tenants (id, name) VALUES ('" + tenant + "', 'pricing-test')");
            s.execute("INSERT INTO model_prices (model, provider, mode, input_cost_per_token, output_cost_per_token, source)"
                    + " VALUES ('zz-image-model', 'openai', 'image_generation', 0.00001, 0.00001, 'override')");
            // The CHECK constraint guards negative prices; the loader is the second line of defence.
            s.execute("ALTER TABLE model_prices DROP CONSTRAINT model_prices_input_cost_per_token_check");
            s.execute("INSERT INTO model_prices (model, provider, mode, input_cost_per_token, output_cost_per_token, source)"
                    + " VALUES ('zz-negative', 'openai', 'chat', -0.000001, 0.00001, 'override')");
            s.execute("INSERT INTO tenant_price_overrides (tenant_id, model, input_cost_per_token) VALUES ('" + tenant
                    + "', 'openai/gpt-4o', 0.000002), ('" + tenant + "', 'zz-unknown', 0.000001)");
        }
        try {
            PriceCatalogLoader.LoadResult result = new PriceCatalogLoader(dataSource).load();
            List<String> rejected = result.rejected();
            assertEquals(3, rejected.size(), rejected.toString());
            assertTrue(rejected.stream().anyMatch(r -> r.contains("zz-image-model") && r.contains("unknown mode 'image_generation'")), rejected.toString());
            assertTrue(rejected.stream().anyMatch(r -> r.contains("zz-negative") && r.contains("negative input_cost_per_token")), rejected.toString());
            assertTrue(rejected.stream().anyMatch(r -> r.contains("zz-unknown") && r.contains("unknown model")), rejected.toString());
            PriceCatalog catalog = result.catalog();
            assertTrue(catalog.lookup("zz-image-model").isEmpty());
            assertTrue(catalog.lookup("zz-negative").isEmpty());
            assertEquals(1260, catalog.size());
            // The valid override applies, to its tenant only.
            assertEquals(1, catalog.overrideCount());
            assertDecimal("0.000002", catalog.lookup(tenant, "gpt-4o").orElseThrow().inputCostPerToken(), "override");
            assertDecimal("0.0000025", catalog.lookup(null, "gpt-4o").orElseThrow().inputCostPerToken(), "list price");
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM tenants WHERE id = '" + tenant + "'");
                s.execute("DELETE FROM model_prices WHERE model IN ('zz-image-model', 'zz-negative')");
                s.execute("ALTER TABLE model_prices ADD CONSTRAINT model_prices_input_cost_per_token_check"
                        + " CHECK (input_cost_per_token IS NULL OR input_cost_per_token >= 0)");
            }
        }
    }

    @Test
    void aFailedReloadKeepsTheLastGoodSnapshot() throws Exception {
        PriceCatalogHolder holder = new PriceCatalogHolder(new PriceCatalogLoader(dataSource));
        PriceCatalogHolder neverLoaded = new PriceCatalogHolder(new PriceCatalogLoader(dataSource));
        assertFalse(holder.hasCatalog());
        PriceCatalogHolder.ReloadResult first = holder.reload();
        assertEquals(PriceCatalogHolder.Outcome.LOADED, first.outcome());
        assertEquals(1260, first.models());
        assertNull(first.error());
        PriceCatalog good = holder.current();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE model_prices RENAME TO model_prices_moved_away");
        }
        try {
            PriceCatalogHolder.ReloadResult failed = holder.reload();
            assertEquals(PriceCatalogHolder.Outcome.FAILED_KEPT_PREVIOUS, failed.outcome());
            assertTrue(failed.error().contains("model_prices"), failed.error());
            assertEquals(1260, failed.models());
            assertTrue(holder.current() == good, "the last good snapshot stays in use");
            assertTrue(holder.current().lookup("gpt-4o").isPresent());

            PriceCatalogHolder.ReloadResult none = neverLoaded.reload();
            assertEquals(PriceCatalogHolder.Outcome.FAILED_NO_CATALOG, none.outcome());
            assertEquals(0, neverLoaded.current().size());
            assertFalse(neverLoaded.hasCatalog());
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE model_prices_moved_away RENAME TO model_prices");
            }
        }
        assertEquals(PriceCatalogHolder.Outcome.LOADED, holder.reload().outcome());
        assertTrue(holder.current() != good, "a successful reload swaps the snapshot");
    }

    /**
     * Every catalog row against the LiteLLM source list, when the list is at hand (it lives
     * outside the repository: set ACC_PRICE_SOURCE_JSON, or keep the usual ../shared layout).
     * Re-derives the selection independently of the Python generator.
     */
    @Test
    void everyRowMatchesTheSourceList() throws Exception {
        File source = findSourceList();
        Assumptions.assumeTrue(source != null, "LiteLLM source list not found; set ACC_PRICE_SOURCE_JSON to cross-check");
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        JsonNode list = json.readTree(source);

        Map<String, String> litellmProviders = new HashMap<>();
        Set<String> corrected = new TreeSet<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT model, litellm_provider, source FROM model_prices WHERE provider <> 'mock'")) {
            while (rs.next()) {
                litellmProviders.put(rs.getString(1), rs.getString(2));
                if (ModelPrice.SOURCE_OVERRIDE.equals(rs.getString(3))) {
                    corrected.add(rs.getString(1));
                }
            }
        }
        Set<String> providers = new TreeSet<>(litellmProviders.values());
        Set<String> modes = Set.of("chat", "embedding", "completion", "responses");
        Set<String> expectedModels = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!e.getKey().equals("sample_spec") && providers.contains(v.path("litellm_provider").asText())
                    && modes.contains(v.path("mode").asText()) && v.has("input_cost_per_token")
                    && (v.has("output_cost_per_token") || v.path("mode").asText().equals("embedding"))) {
                expectedModels.add(e.getKey());
            }
        }
        assertEquals(expectedModels, new TreeSet<>(litellmProviders.keySet()));

        PriceCatalog catalog = new PriceCatalogLoader(dataSource).load().catalog();
        assertEquals(Set.of("claude-3-5-haiku-20241022", "claude-3-5-haiku-latest", "claude-3-haiku-20240307",
                "claude-3-opus-20240229", "claude-3-opus-latest"), corrected);
        int compared = 0;
        for (String model : expectedModels) {
            JsonNode v = list.get(model);
            ModelPrice loaded = catalog.lookup(model).orElseThrow();
            assertEquals(model, loaded.model());
            for (PriceField f : PriceField.values()) {
                JsonNode n = v.get(f.column());
                if (n == null && f == PriceField.CACHE_READ) {
                    n = v.get("input_cost_per_token_cache_hit");
                }
                if (f == PriceField.CACHE_WRITE_1H && corrected.contains(model)) {
                    assertEquals(0, loaded.inputCostPerToken().multiply(BigDecimal.valueOf(2)).compareTo(loaded.price(f)), model);
                } else if (n == null) {
                    assertNull(loaded.price(f), model + " " + f.column());
                } else {
                    assertEquals(0, n.decimalValue().compareTo(loaded.price(f)),
                            model + " " + f.column() + ": " + n.asText() + " vs " + loaded.price(f));
                }
                compared++;
            }
            assertEquals(v.path("mode").asText(), loaded.mode().wireName(), model);
            for (Capability cap : Capability.values()) {
                assertEquals(v.path(cap.column()).asBoolean(false), loaded.supports(cap), model + " " + cap.column());
            }
        }
        assertEquals(1258 * PriceField.values().length, compared);
    }

    private static File findSourceList() {
        String configured = System.getenv("ACC_PRICE_SOURCE_JSON");
        if (configured != null && !configured.isBlank()) {
            File f = new File(configured);
            return f.isFile() ? f : null;
        }
        File dir = new File("").getAbsoluteFile();
        for (int i = 0; i < 6 && dir != null; i++, dir = dir.getParentFile()) {
            File f = new File(dir, "shared/reference/model_prices_and_context_window.json");
            if (f.isFile()) {
                return f;
            }
        }
        return null;
    }

    private static void assertSamePrices(ModelPrice expected, ModelPrice actual) {
        for (PriceField f : PriceField.values()) {
            BigDecimal e = expected.price(f);
            BigDecimal a = actual.price(f);
            if (e == null) {
                assertNull(a, actual.model() + " " + f.column());
            } else {
                assertTrue(a != null && e.compareTo(a) == 0, actual.model() + " " + f.column() + ": " + e + " vs " + a);
            }
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

}
