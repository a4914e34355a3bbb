package com.agentcostcontrol.router.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.router.planning.RoutingTables;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.IdentityCodec;
import com.agentcostcontrol.router.pricing.PriceCatalogHolder;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_router"), @ResourceArg(name = "redisDb", value = "3") })
class RoutingModelsTest {

    private static final String TENANT_A = "7a1c0000-0000-4000-8000-00000000000a";
    private static final String TENANT_B = "7a1c0000-0000-4000-8000-00000000000b";
    private static final String GPT_4O = "models.find { it.model == 'gpt-4o' }";

    @Inject
    DataSource dataSource;

    @Inject
    CatalogService catalogService;

    private static RequestSpecification as(CallerIdentity caller) {
        IdentityCodec codec = new IdentityCodec(ConfigProvider.getConfig().getValue("acc.internal.secret", String.class));
        return given().header(IdentityCodec.HEADER, codec.sign(caller));
    }

    private static RequestSpecification asOperator() {
        return as(CallerIdentity.operator("ops"));
    }

    private static CallerIdentity tenantKey(String tenant) {
        return new CallerIdentity(CallerIdentity.Kind.KEY, "key-" + tenant, tenant,
                Set.of(CallerIdentity.Role.TENANT_ADMIN), Set.of("llm", "manage"));
    }

    @Test
    void refusesCallsWithoutAValidIdentity() {
        given().get("/v1/routing/models").then().statusCode(401).body("error.type", equalTo("unauthorized"));
        given().header(IdentityCodec.HEADER, "v1.e30.c2lnbmF0dXJl").get("/v1/routing/models").then().statusCode(401);
    }

    @Test
    void listsTheWholeCatalogWithDecimalStringPrices() {
        JsonPath list = asOperator().get("/v1/routing/models").then().statusCode(200).extract().jsonPath();
        assertEquals(1260, list.getInt("count"));
        assertEquals(1260, list.getInt("catalog.models"));
        assertNotNull(list.getString("catalog.loadedAt"));
        Map<String, Object> gpt4o = list.getMap(GPT_4O);
        assertEquals("openai", gpt4o.get("provider"));
        assertEquals("chat", gpt4o.get("mode"));
        assertEquals(128000, gpt4o.get("contextWindow"));
        assertEquals(16384, gpt4o.get("maxOutputTokens"));
        assertEquals("litellm-2025-12", gpt4o.get("source"));
        // Money is a decimal string, never a JSON number.
        assertEquals(Map.of("input", "0.0000025", "output", "0.00001", "cacheRead", "0.00000125"),
                list.getMap(GPT_4O + ".pricing.perToken"));
        assertEquals(Map.of("input", "2.50", "output", "10.00", "cacheRead", "1.25"),
                list.getMap(GPT_4O + ".pricing.perMillionTokens"));
        assertTrue(list.getList(GPT_4O + ".capabilities").containsAll(List.of("tools", "vision", "json", "caching")));
        assertEquals("0.15", list.getString("models.find { it.model == 'mock-small' }.pricing.perMillionTokens.input"));
        assertEquals("override", list.getString("models.find { it.model == 'mock-small' }.source"));
    }

    @Test
    void filtersByProviderModeCapabilityAndContext() throws SQLException {
        asOperator().queryParam("provider", "anthropic").get("/v1/routing/models").then().statusCode(200)
                .body("count", equalTo(22)).body("models.provider", everyItem(equalTo("anthropic")));
        asOperator().queryParam("provider", "openai").queryParam("mode", "embedding").get("/v1/routing/models").then()
                .statusCode(200).body("count", equalTo(4))
                .body("models.model", hasItems("text-embedding-3-small", "text-embedding-3-large"))
                .body("models.mode", everyItem(equalTo("embedding")));
        asOperator().queryParam("provider", "openai,anthropic").get("/v1/routing/models").then()
                .statusCode(200).body("count", equalTo(119 + 22));

        int reasoningVision = count("SELECT count(*) FROM model_prices WHERE provider = 'anthropic'"
                + " AND supports_reasoning AND supports_vision");
        assertTrue(reasoningVision > 0 && reasoningVision < 22);
        asOperator().queryParam("provider", "anthropic").queryParam("capability", "reasoning")
                .queryParam("capability", "vision").get("/v1/routing/models").then().statusCode(200)
                .body("count", equalTo(reasoningVision))
                .body("models.capabilities", everyItem(hasItems("reasoning", "vision")));

        int tools = count("SELECT count(*) FROM model_prices WHERE supports_function_calling AND supports_response_schema");
        asOperator().queryParam("capability", "tools,json").get("/v1/routing/models").then().statusCode(200)
                .body("count", equalTo(tools));

        int longContext = count("SELECT count(*) FROM model_prices WHERE provider = 'gemini' AND context_window >= 1000000");
        assertTrue(longContext > 0);
        asOperator().queryParam("provider", "gemini").queryParam("minContext", "1000000").get("/v1/routing/models").then()
                .statusCode(200).body("count", equalTo(longContext))
                .body("models.contextWindow", everyItem(greaterThanOrEqualTo(1000000)));
    }

    @Test
    void showsOneModelByAnyAliasWithItsLongContextTier() {
        asOperator().get("/v1/routing/models/anthropic/claude-sonnet-4-5").then().statusCode(200)
                .body("model", equalTo("claude-sonnet-4-5"))
                .body("pricing.perToken.cacheWrite5m", equalTo("0.00000375"))
                .body("pricing.perMillionTokens.cacheWrite5m", equalTo("3.75"))
                .body("tiers[0].aboveInputTokens", equalTo(200000))
                .body("tiers[0].perToken.input", equalTo("0.000006"))
                .body("tiers[0].perMillionTokens.input", equalTo("6.00"))
                .body("tiers[0].perMillionTokens.output", equalTo("22.50"))
                .body("tiers[0].perMillionTokens.cacheRead", equalTo("0.60"));
        asOperator().get("/v1/routing/models/mock-large").then().statusCode(200)
                .body("provider", equalTo("mock"))
                .body("pricing.perMillionTokens.input", equalTo("3.00"))
                .body("pricing.perMillionTokens.output", equalTo("15.00"))
                .body("tiers[0].perMillionTokens.input", equalTo("6.00"));
        asOperator().get("/v1/routing/models/openai/gpt-4o").then().statusCode(200).body("model", equalTo("gpt-4o"));
        asOperator().get("/v1/routing/models/no-such-model").then().statusCode(404)
                .body("error.type", equalTo("not_found"));
    }

    @Test
    void badFiltersAnswer400NamingTheParameter() {
        asOperator().queryParam("capability", "telepathy").get("/v1/routing/models").then().statusCode(400)
                .body("error.field", equalTo("capability"));
        asOperator().queryParam("mode", "painting").get("/v1/routing/models").then().statusCode(400)
                .body("error.field", equalTo("mode"));
        asOperator().queryParam("minContext", "lots").get("/v1/routing/models").then().statusCode(400)
                .body("error.field", equalTo("minContext"));
        asOperator().queryParam("tenantId", "acme").get("/v1/routing/models").then().statusCode(400)
                .body("error.field", equalTo("tenantId"));
    }

    @Test
    void aTenantSeesItsNegotiatedPricesAfterTheNextRefresh() throws SQLException {
        execute("INSERT INTO tenants (id, name) VALUES ('" + TENANT_A + "', 'catalog-a'), ('" + TENANT_B + "', 'catalog-b')");
        try {
            execute("INSERT INTO tenant_price_overrides (tenant_id, model, input_cost_per_token) VALUES ('"
                    + TENANT_A + "', 'openai/gpt-4o', 0.000002)");
            // No explicit reload: the periodic refresh (1s in tests) must pick the override up.
            await(() -> "0.000002".equals(as(tenantKey(TENANT_A)).get("/v1/routing/models/gpt-4o")
                    .then().statusCode(200).extract().path("pricing.perToken.input")));
            as(tenantKey(TENANT_A)).queryParam("provider", "openai").get("/v1/routing/models").then().statusCode(200)
                    .body(GPT_4O + ".pricing.perToken.input", equalTo("0.000002"));

            as(tenantKey(TENANT_A)).get("/v1/routing/models/gpt-4o").then().statusCode(200)
                    .body("pricing.perToken.input", equalTo("0.000002"))
                    .body("pricing.perMillionTokens.input", equalTo("2.00"))
                    .body("pricing.perToken.output", equalTo("0.00001")) // inherited
                    .body("source", equalTo("override"));
            // Another tenant and the operator see the list price; an operator may look at A's prices.
            as(tenantKey(TENANT_B)).get("/v1/routing/models/gpt-4o").then().statusCode(200)
                    .body("pricing.perToken.input", equalTo("0.0000025"));
            asOperator().get("/v1/routing/models/gpt-4o").then().statusCode(200)
                    .body("pricing.perToken.input", equalTo("0.0000025"));
            asOperator().queryParam("tenantId", TENANT_A).get("/v1/routing/models/gpt-4o").then().statusCode(200)
                    .body("pricing.perToken.input", equalTo("0.000002"));
            // Tenant B may not read tenant A's negotiated prices.
            RoutingTables.assertSameAsNonexistent(t -> as(tenantKey(TENANT_B)).queryParam("tenantId", t)
                    .get("/v1/routing/models"), TENANT_A);
            RoutingTables.assertSameAsNonexistent(t -> as(tenantKey(TENANT_B)).queryParam("tenantId", t)
                    .get("/v1/routing/models/gpt-4o"), TENANT_A);
        } finally {
            execute("DELETE FROM tenants WHERE id IN ('" + TENANT_A + "', '" + TENANT_B + "')");
            catalogService.reload();
        }
    }

    @Test
    void aFailedRefreshKeepsServingTheLastGoodCatalog() throws SQLException {
        assertEquals(PriceCatalogHolder.Outcome.LOADED, catalogService.reload().outcome());
        execute("ALTER TABLE model_prices RENAME TO model_prices_elsewhere");
        try {
            await(() -> catalogService.lastReload().map(r -> r.outcome() == PriceCatalogHolder.Outcome.FAILED_KEPT_PREVIOUS)
                    .orElse(false));
            asOperator().get("/v1/routing/models").then().statusCode(200).body("count", equalTo(1260));
            asOperator().get("/v1/routing/models/gpt-4o").then().statusCode(200)
                    .body("pricing.perToken.input", equalTo("0.0000025"));
            given().get("/q/health/ready").then().body("checks.find { it.name == 'Price catalog' }.status", equalTo("UP"));
        } finally {
            execute("ALTER TABLE model_prices_elsewhere RENAME TO model_prices");
        }
        assertEquals(PriceCatalogHolder.Outcome.LOADED, catalogService.reload().outcome());
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private int count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 15 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
