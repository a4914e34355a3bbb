package com.agentcostcontrol.router.planning;

import static com.agentcostcontrol.router.planning.RoutingTables.TENANT_A;
import static com.agentcostcontrol.router.planning.RoutingTables.TENANT_B;
import static com.agentcostcontrol.router.planning.RoutingTables.as;
import static com.agentcostcontrol.router.planning.RoutingTables.asOperator;
import static com.agentcostcontrol.router.planning.RoutingTables.asTenant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.router.routing.health.FailureKind;
import com.agentcostcontrol.router.routing.health.RateLimitInfo;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The planning API against real Postgres (routing tables, V2 catalog) and Redis (deployment health):
 * dry-run plans, fallback chains and health, per tenant.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_router"), @ResourceArg(name = "redisDb", value = "3") })
class RoutePlanApiTest {

    @Inject
    DataSource dataSource;

    @Inject
    PlanningService planning;

    @Inject
    HealthMetrics metrics;

    private String oa;
    private String mini;
    private String ds;
    private String claude;
    private String mine;

    /**
     * Operator: team-smart = [oa (gpt-4o), ds (deepseek-chat)] by priority, falling back to
     * claude-sonnet-4-5 (its own route), mock-small (built-in) and a model nothing serves. Tenant A
     * overrides team-smart with [mine (its own mock-large), mini (operator gpt-4o-mini)] by cost.
     */
    @BeforeEach
    void tables() throws Exception {
        RoutingTables t = new RoutingTables(dataSource);
        t.reset();
        oa = t.deployment(null, "oa", "openai", "gpt-4o", 1);
        mini = t.deployment(null, "mini", "openai", "gpt-4o-mini", 1);
        ds = t.deployment(null, "ds", "openai-compatible", "deepseek/deepseek-chat", 1);
        claude = t.deployment(null, "claude", "anthropic", "claude-sonnet-4-5", 1);
        mine = t.deployment(TENANT_A, "mine", "mock", "mock-large", 1);
        t.route(null, "team-smart", "priority", new String[] { "oa", "ds" }, "claude-sonnet-4-5", "mock-small", "nothing-serves-this");
        t.route(null, "claude-sonnet-4-5", "priority", new String[] { "claude" });
        t.route(TENANT_A, "team-smart", "lowest-cost", new String[] { "mine", "mini" });
        planning.reload();
    }

    private static final String PLAN = "/v1/routing/plan";

    @Test
    void refusesCallsWithoutAValidIdentity() {
        given().contentType("application/json").body("{\"model\":\"x\"}").post(PLAN).then().statusCode(401);
        given().get("/v1/routing/health").then().statusCode(401);
        given().get("/v1/routing/fallback-chains").then().statusCode(401);
        given().contentType("application/json").body("{}").post("/v1/routing/cheapest").then().statusCode(401);
    }

    @Test
    void plansTheRouteThenEachFallbackWithReasonsAndWorstCases() {
        JsonPath plan = asOperator().body("{\"model\": \"team-smart\", \"capabilities\": [\"vision\"],"
                + " \"estimatedInputTokens\": 1000, \"maxOutputTokens\": 1000}").post(PLAN)
                .then().statusCode(200).extract().jsonPath();
        assertEquals("operator-route", plan.getString("source"));
        assertEquals("priority", plan.getString("strategy"));
        assertEquals(List.of(oa, claude, "builtin:mock:mock-small"), plan.getList("attempts.deploymentId"));
        assertEquals(List.of("oa", "claude", "builtin:mock:mock-small"), plan.getList("attempts.deploymentName"));
        assertEquals(List.of("gpt-4o", "claude-sonnet-4-5", "mock-small"), plan.getList("attempts.model"));
        assertEquals(List.of(0, 1, 2), plan.getList("attempts.fallbackIndex"));
        assertEquals(List.of("openai", "anthropic", "openai"), plan.getList("attempts.format"));
        // gpt-4o: 1,000 x 0.0000025 + 1,000 x 0.00001; claude: 1-hour cache-write rate 2 x 0.000003 in + 0.015 out;
        // mock-small is priced like gpt-4o-mini
        assertEquals(List.of("0.012500", "0.021000", "0.000750"), plan.getList("attempts.worstCaseUsd"));
        assertEquals("0.021000", plan.getString("maxWorstCaseUsd"));
        assertEquals(List.of("operator route team-smart, priority: position 1 of 1",
                "fallback 1 of team-smart: operator route claude-sonnet-4-5, priority: position 1 of 1",
                "fallback 2 of team-smart: built-in deployment for mock-small (no route)"), plan.getList("attempts.reason"));
        assertEquals(List.of(Map.of("deploymentId", ds, "deploymentName", "ds", "routeModel", "team-smart",
                "reason", "model deepseek/deepseek-chat lacks vision"),
                mapOf("deploymentId", null, "deploymentName", null, "routeModel", "nothing-serves-this",
                        "reason", "fallback 3 of team-smart: no route and no built-in deployment serves model 'nothing-serves-this'")),
                plan.getList("skipped"));
        assertEquals(List.of("vision"), plan.getList("request.capabilities"));
        assertEquals(List.of("healthy", "healthy", "healthy"), plan.getList("attempts.health"));
        assertTrue(plan.getBoolean("healthKnown"));
    }

    @Test
    void aTenantsRouteOverridesTheOperatorsForThatTenantOnly() {
        String body = "{\"model\": \"team-smart\", \"estimatedInputTokens\": 1000, \"maxOutputTokens\": 1000}";
        asTenant(TENANT_A).body(body).post(PLAN).then().statusCode(200)
                .body("tenantId", equalTo(TENANT_A))
                .body("source", equalTo("tenant-route")).body("strategy", equalTo("lowest-cost"))
                // mini (gpt-4o-mini, 0.00075) is cheaper than tenant A's own mock-large (priced like claude, 0.021)
                .body("attempts.deploymentId", equalTo(List.of(mini, mine)))
                .body("attempts[0].reason", equalTo("tenant route team-smart, lowest-cost: worst case $0.000750, rank 1 of 2"));
        asTenant(TENANT_B).body(body).post(PLAN).then().statusCode(200)
                .body("source", equalTo("operator-route"))
                .body("attempts.deploymentId", equalTo(List.of(oa, ds, claude, "builtin:mock:mock-small")));
        // operators plan for a tenant by naming it, in the body or the query
        asOperator().body("{\"model\": \"team-smart\", \"tenantId\": \"" + TENANT_A + "\"}").post(PLAN).then().statusCode(200)
                .body("source", equalTo("tenant-route"));
        asOperator().queryParam("tenantId", TENANT_A).body("{\"model\": \"team-smart\"}").post(PLAN).then().statusCode(200)
                .body("source", equalTo("tenant-route"));
        // a tenant cannot plan with another tenant's routing
        // (it answers exactly as a tenant that does not exist)
        RoutingTables.assertSameAsNonexistent(t -> asTenant(TENANT_B).body("{\"model\": \"team-smart\", \"tenantId\": \"" + t
                + "\"}").post(PLAN), TENANT_A);
        RoutingTables.assertSameAsNonexistent(t -> asTenant(TENANT_B).queryParam("tenantId", t)
                .body("{\"model\": \"team-smart\"}").post(PLAN), TENANT_A);
        RoutingTables.assertSameAsNonexistent(t -> asTenant(TENANT_B).queryParam("tenantId", t)
                .body("{\"model\": \"team-smart\"}").post("/v1/routing/cheapest"), TENANT_A);
        RoutingTables.assertSameAsNonexistent(t -> asTenant(TENANT_B).queryParam("tenantId", t)
                .get("/v1/routing/fallback-chains"), TENANT_A);
    }

    @Test
    void derivesNeedsFromAnOpenAiOrAnthropicRequestBody() {
        String openai = "{\"model\": \"team-smart\", \"max_tokens\": 500, \"tools\": [{\"type\": \"function\", \"function\":"
                + " {\"name\": \"f\", \"parameters\": {}}}], \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\","
                + " \"text\": \"what is in this picture?\"}, {\"type\": \"image_url\", \"image_url\": {\"url\": \"data:image/png;base64,AAAA\"}}]}]}";
        JsonPath plan = asTenant(TENANT_B).header("x-acc-task", "review").body(openai).post(PLAN).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("tools", "vision"), plan.getList("request.capabilities"));
        assertEquals("review", plan.getString("request.taskType"));
        assertEquals("openai", plan.getString("request.inboundFormat"));
        assertEquals(500, plan.getInt("request.maxOutputTokens"));
        assertTrue(plan.getLong("request.estimatedInputTokens") > 1_600, "an image counts 1,600 tokens");
        assertEquals(List.of(oa, claude, "builtin:mock:mock-small"), plan.getList("attempts.deploymentId"));

        String anthropic = "{\"model\": \"team-smart\", \"max_tokens\": 256, \"system\": \"be brief\","
                + " \"messages\": [{\"role\": \"user\", \"content\": \"hello\"}]}";
        asTenant(TENANT_B).header("x-acc-task", "not-a-task").body(anthropic).post(PLAN).then().statusCode(200)
                .body("request.inboundFormat", equalTo("anthropic"))
                .body("request.taskType", nullValue())
                // the mock answers in the client's dialect, gpt-4o needs translation
                .body("attempts.format", equalTo(List.of("openai", "openai", "anthropic", "anthropic")));

        // query parameters add a ceiling and exclusions to an LLM body
        asTenant(TENANT_B).queryParam("costCeilingUsd", "0.01").queryParam("exclude", "ds").body(anthropic).post(PLAN)
                .then().statusCode(200)
                .body("attempts.deploymentId", equalTo(List.of(oa, claude, "builtin:mock:mock-small")))
                .body("skipped.reason", hasItem("excluded by the request"));
    }

    @Test
    void aCostCeilingSkipsDeploymentsWhoseWorstCaseIsAboveIt() {
        asOperator().body("{\"model\": \"team-smart\", \"estimatedInputTokens\": 1000, \"maxOutputTokens\": 1000,"
                + " \"costCeilingUsd\": \"0.01\"}").post(PLAN).then().statusCode(200)
                .body("attempts.deploymentId", equalTo(List.of(ds, "builtin:mock:mock-small")))
                .body("request.costCeilingUsd", equalTo("0.010000"))
                .body("skipped.find { it.deploymentName == 'oa' }.reason",
                        equalTo("worst case $0.012500 is above the cost ceiling $0.010000"))
                .body("skipped.find { it.deploymentName == 'claude' }.reason",
                        equalTo("fallback 1 of team-smart: worst case $0.021000 is above the cost ceiling $0.010000"));
    }

    @Test
    void refusesInvalidPlanRequestsNamingTheField() {
        asOperator().body("{\"capabilities\": [\"vision\"]}").post(PLAN).then().statusCode(400).body("error.field", equalTo("model"));
        asOperator().body("[1]").post(PLAN).then().statusCode(400).body("error.field", equalTo("body"));
        asOperator().body("{\"model\": \"m\", \"capabilities\": [\"telepathy\"]}").post(PLAN).then().statusCode(400)
                .body("error.field", equalTo("capabilities"));
        asOperator().body("{\"model\": \"m\", \"costCeilingUsd\": 0.5}").post(PLAN).then().statusCode(400)
                .body("error.field", equalTo("costCeilingUsd"));
        asOperator().body("{\"model\": \"m\", \"estimatedInputTokens\": -1}").post(PLAN).then().statusCode(400)
                .body("error.field", equalTo("estimatedInputTokens"));
        asOperator().body("{\"model\": \"m\", \"taskType\": \"deploy\"}").post(PLAN).then().statusCode(400)
                .body("error.field", equalTo("taskType"));
        asOperator().queryParam("format", "gemini").body("{\"model\": \"m\", \"messages\": []}").post(PLAN).then().statusCode(400)
                .body("error.field", equalTo("format"));
        asOperator().queryParam("tenantId", "nope").body("{\"model\": \"m\"}").post(PLAN).then().statusCode(400)
                .body("error.field", equalTo("tenantId"));
    }

    @Test
    void sharedHealthReordersPlansAndIsReported() throws Exception {
        var health = planning.health();
        for (int i = 0; i < 3; i++) {
            health.recordFailure(oa, FailureKind.SERVER_ERROR, RateLimitInfo.NONE).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        health.recordSuccess(ds, Duration.ofMillis(180), new RateLimitInfo(5_000L, Duration.ofSeconds(50), null, null, null))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        JsonPath plan = asTenant(TENANT_B).body("{\"model\": \"team-smart\"}").post(PLAN).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(ds, claude, "builtin:mock:mock-small", oa), plan.getList("attempts.deploymentId"));
        assertEquals("cooling-down", plan.getString("attempts[3].health"));
        assertTrue(plan.getString("attempts[3].reason").contains("; moved to the end: cooling down until "),
                plan.getString("attempts[3].reason"));

        JsonPath report = asTenant(TENANT_B).get("/v1/routing/health").then().statusCode(200).extract().jsonPath();
        assertEquals(Set.of(oa, mini, ds, claude, "builtin:mock:mock-small", "builtin:mock:mock-large"),
                Set.copyOf(report.getList("deployments.id")), "tenant B sees the operator's and the built-in deployments");
        Map<String, Object> oaHealth = report.getMap("deployments.find { it.id == '" + oa + "' }");
        assertEquals("cooling-down", oaHealth.get("state"));
        assertEquals("failures", oaHealth.get("cause"));
        assertEquals(3, oaHealth.get("consecutiveFailures"));
        assertEquals(1, oaHealth.get("cooldowns"));
        assertEquals("server-error", report.getString("deployments.find { it.id == '" + oa + "' }.lastFailure.kind"));
        assertTrue(report.getString("deployments.find { it.id == '" + oa + "' }.coolingDownUntil").endsWith("Z"));
        Map<String, Object> dsHealth = report.getMap("deployments.find { it.id == '" + ds + "' }");
        assertEquals("healthy", dsHealth.get("state"));
        assertEquals(180.0f, ((Number) dsHealth.get("ewmaLatencyMs")).floatValue(), 0.01f);
        assertEquals(5_000, report.getInt("deployments.find { it.id == '" + ds + "' }.rateLimit.remainingRequests"));
        assertEquals(null, dsHealth.get("lastFailure"));

        asTenant(TENANT_A).get("/v1/routing/health").then().statusCode(200).body("deployments.id", hasItem(mine));
        asOperator().get("/v1/routing/health").then().statusCode(200).body("deployments.id", hasItem(mine))
                .body("tenantId", nullValue());
        RoutingTables.assertSameAsNonexistent(t -> asTenant(TENANT_B).queryParam("tenantId", t).get("/v1/routing/health"),
                TENANT_A);

        metrics.refresh();
        String prometheus = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(prometheus.contains("acc_router_deployment_state{deployment=\"oa\",deployment_id=\"" + oa
                + "\",tenant=\"operator\"} 2.0"), "state gauge of oa");
        assertTrue(prometheus.contains("acc_router_deployment_state{deployment=\"ds\",deployment_id=\"" + ds
                + "\",tenant=\"operator\"} 0.0"), "state gauge of ds");
        assertTrue(prometheus.contains("acc_router_deployment_cooldowns_total{deployment=\"oa\",deployment_id=\"" + oa
                + "\",tenant=\"operator\"} 1.0"), "cooldown counter of oa");
    }

    @Test
    void fallbackChainsShowEveryRouteInEffectForTheCaller() {
        JsonPath b = asTenant(TENANT_B).get("/v1/routing/fallback-chains").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("claude-sonnet-4-5", "team-smart"), b.getList("chains.model"));
        String smart = "chains.find { it.model == 'team-smart' }";
        assertEquals("operator-route", b.getString(smart + ".source"));
        assertEquals(List.of("team-smart", "claude-sonnet-4-5", "mock-small", "nothing-serves-this"),
                b.getList(smart + ".chain.model"));
        assertEquals(List.of("operator-route", "operator-route", "built-in", "none"), b.getList(smart + ".chain.source"));
        assertEquals(List.of("oa", "ds"), b.getList(smart + ".chain[0].deployments.name"));
        assertEquals(List.of("builtin:mock:mock-small"), b.getList(smart + ".chain[2].deployments.id"));
        assertEquals(List.of(), b.getList(smart + ".chain[3].deployments"));

        JsonPath a = asTenant(TENANT_A).get("/v1/routing/fallback-chains").then().statusCode(200).extract().jsonPath();
        assertEquals("tenant-route", a.getString(smart + ".source"));
        assertEquals("lowest-cost", a.getString(smart + ".strategy"));
        assertEquals(List.of("team-smart"), a.getList(smart + ".chain.model"));
        assertEquals(List.of(mine, mini), a.getList(smart + ".chain[0].deployments.id"));
        assertEquals(TENANT_A, a.getString(smart + ".chain[0].deployments[0].tenantId"));

        // tenant B never sees tenant A's deployment
        asTenant(TENANT_B).get("/v1/routing/fallback-chains").then().body(not(containsString(mine)));
    }

    @Test
    void cheapestListsSatisfyingCatalogModelsCheapestFirst() throws Exception {
        JsonPath all = asTenant(TENANT_B).body("{\"capabilities\": [\"tools\", \"vision\"], \"minContext\": 100000, \"limit\": 100}")
                .post("/v1/routing/cheapest").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> models = all.getList("models");
        assertTrue(models.size() > 10);
        java.math.BigDecimal previous = java.math.BigDecimal.ZERO;
        for (Map<String, Object> m : models) {
            java.math.BigDecimal worst = new java.math.BigDecimal((String) m.get("worstCaseUsd"));
            assertTrue(worst.compareTo(previous) >= 0, "sorted by worst case: " + m);
            previous = worst;
            assertTrue(((List<?>) m.get("capabilities")).containsAll(List.of("tools", "vision")), m.toString());
            assertTrue(((Number) m.get("contextWindow")).longValue() >= 100_000, m.toString());
        }
        assertEquals(Map.of("capabilities", List.of("tools", "vision"), "minContext", 100000, "estimatedInputTokens", 1000,
                "maxOutputTokens", 1000, "mode", "chat", "routableOnly", false, "tenantId", TENANT_B), all.getMap("basis"));
        int expected;
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(
                "SELECT count(*) FROM model_prices WHERE mode = 'chat' AND supports_function_calling AND supports_vision"
                        + " AND context_window >= 100000 AND (deprecation_date IS NULL OR deprecation_date >= current_date)")) {
            rs.next();
            expected = rs.getInt(1);
        }
        assertEquals(expected, all.getInt("count"));

        // only what the tenant can call now: its routes and the built-in mocks, ties by name
        String routable = "{\"capabilities\": [\"tools\", \"vision\"], \"minContext\": 100000, \"routableOnly\": true}";
        asTenant(TENANT_B).body(routable).post("/v1/routing/cheapest").then().statusCode(200)
                .body("models.model", equalTo(List.of("mock-small", "claude-sonnet-4-5", "mock-large")))
                .body("models.worstCaseUsd", equalTo(List.of("0.000750", "0.021000", "0.021000")))
                .body("models.routable", equalTo(List.of(true, true, true)));

        // a tenant's negotiated price makes its model cheaper for that tenant only
        new RoutingTables(dataSource).execute("INSERT INTO tenant_price_overrides (tenant_id, model, input_cost_per_token,"
                + " output_cost_per_token) VALUES ('" + TENANT_A + "', 'mock-small', 0.00000001, 0.00000002)");
        planningCatalogReload();
        // input at the cache-read rate (0.000000075, above the overridden input) + 1,000 x 0.00000002
        asTenant(TENANT_A).body(routable).post("/v1/routing/cheapest").then().statusCode(200)
                .body("models[0].model", equalTo("mock-small")).body("models[0].worstCaseUsd", equalTo("0.000095"));
        asTenant(TENANT_B).body(routable).post("/v1/routing/cheapest").then().statusCode(200)
                .body("models[0].worstCaseUsd", equalTo("0.000750"));

        asTenant(TENANT_B).body("{\"capabilities\": [\"telepathy\"]}").post("/v1/routing/cheapest").then().statusCode(400)
                .body("error.field", equalTo("capabilities"));
        asTenant(TENANT_B).body("{\"minContext\": -5}").post("/v1/routing/cheapest").then().statusCode(400)
                .body("error.field", equalTo("minContext"));
        asTenant(TENANT_B).body("{\"mode\": \"video\"}").post("/v1/routing/cheapest").then().statusCode(400)
                .body("error.field", equalTo("mode"));
        asTenant(TENANT_B).body("{\"capabilities\": [\"audio-output\", \"computer-use\", \"pdf\"], \"minContext\": 90000000}")
                .post("/v1/routing/cheapest").then().statusCode(200).body("count", equalTo(0)).body("models", equalTo(List.of()));
    }

    @Inject
    com.agentcostcontrol.router.catalog.CatalogService catalogService;

    private void planningCatalogReload() {
        assertTrue(catalogService.reload().succeeded());
    }

    @Test
    void aServiceIdentityMayPlanForAnyTenant() {
        as(CallerIdentity.service("proxy-service")).queryParam("tenantId", TENANT_A).body("{\"model\": \"team-smart\"}")
                .post(PLAN).then().statusCode(200).body("source", equalTo("tenant-route"))
                .body("attempts[0].reason", startsWith("tenant route team-smart, lowest-cost"));
    }

    private static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
