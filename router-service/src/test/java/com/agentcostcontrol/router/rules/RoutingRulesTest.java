package com.agentcostcontrol.router.rules;

import static com.agentcostcontrol.router.planning.RoutingTables.TENANT_A;
import static com.agentcostcontrol.router.planning.RoutingTables.TENANT_B;
import static com.agentcostcontrol.router.planning.RoutingTables.asOperator;
import static com.agentcostcontrol.router.planning.RoutingTables.asTenant;
import static com.agentcostcontrol.router.planning.RoutingTables.asViewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.agentcostcontrol.router.planning.PlanningService;
import com.agentcostcontrol.router.planning.RoutingTables;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_router"), @ResourceArg(name = "redisDb", value = "3") })
class RoutingRulesTest {

    private static final String OPERATOR_RULES = "/admin/v1/routing/rules";
    private static final String TENANT_RULES = "/v1/routing/rules";

    @Inject
    DataSource dataSource;

    @Inject
    PlanningService planning;

    @Inject
    ReactiveRedisDataSource redis;

    private RoutingTables tables;

    @BeforeEach
    void reset() throws Exception {
        tables = new RoutingTables(dataSource);
        tables.reset();
        planning.reload();
    }

    private static String rule(String match, String action) {
        return "{\"priority\": 10, \"description\": \"d\", " + (match == null ? "" : "\"match\": " + match + ", ")
                + "\"action\": " + action + "}";
    }

    @Test
    void refusesCallsWithoutAValidIdentity() {
        given().get(OPERATOR_RULES).then().statusCode(401);
        given().contentType("application/json").body("{}").post(TENANT_RULES).then().statusCode(401);
    }

    @Test
    void operatorCreatesReadsReplacesAndDeletesRules() {
        JsonPath created = asOperator().body(rule("{\"model\": \"claude-opus-*\", \"task\": \"test\", \"capability\": \"vision\","
                + " \"maxCostUsd\": \"0.50\"}", "{\"type\": \"route-to-model\", \"model\": \"claude-sonnet-4-5\"}"))
                .post(OPERATOR_RULES).then().statusCode(201)
                .body("tenantId", nullValue())
                .body("priority", equalTo(10))
                .body("enabled", equalTo(true))
                .body("match", equalTo(Map.of("model", "claude-opus-*", "task", "test", "capability", "vision",
                        "maxCostUsd", "0.500000")))
                .body("action", equalTo(Map.of("type", "route-to-model", "model", "claude-sonnet-4-5")))
                .extract().jsonPath();
        String id = created.getString("id");
        asOperator().body("{\"action\": {\"type\": \"set-strategy\", \"strategy\": \"lowest-cost\"}}").post(OPERATOR_RULES)
                .then().statusCode(201).body("priority", equalTo(100)).body("match", equalTo(Map.of()));

        asOperator().get(OPERATOR_RULES).then().statusCode(200).body("rules", hasSize(2))
                .body("rules[0].id", equalTo(id)).body("rules[1].action.strategy", equalTo("lowest-cost"));
        asOperator().get(OPERATOR_RULES + "/" + id).then().statusCode(200).body("description", equalTo("d"));

        asOperator().body("{\"priority\": 5, \"enabled\": false, \"action\": {\"type\": \"require-capability\","
                + " \"capability\": \"reasoning\"}}").put(OPERATOR_RULES + "/" + id).then().statusCode(200)
                .body("priority", equalTo(5)).body("enabled", equalTo(false)).body("match", equalTo(Map.of()))
                .body("description", nullValue())
                .body("action", equalTo(Map.of("type", "require-capability", "capability", "reasoning")))
                .body("createdAt", equalTo(created.getString("createdAt")));

        asOperator().delete(OPERATOR_RULES + "/" + id).then().statusCode(204);
        asOperator().get(OPERATOR_RULES + "/" + id).then().statusCode(404).body("error.type", equalTo("not_found"));
        asOperator().get(OPERATOR_RULES + "/not-a-uuid").then().statusCode(404);
    }

    static Stream<Arguments> invalidRules() {
        String route = "{\"type\": \"route-to-model\", \"model\": \"mock-small\"}";
        return Stream.of(
                Arguments.of("[]", "body"),
                Arguments.of("{}", "action"),
                Arguments.of("{\"action\": {\"type\": \"teleport\"}}", "action.type"),
                Arguments.of("{\"action\": {\"type\": \"route-to-model\"}}", "action.model"),
                Arguments.of("{\"action\": {\"type\": \"set-strategy\", \"strategy\": \"fastest\"}}", "action.strategy"),
                Arguments.of("{\"action\": {\"type\": \"set-strategy\", \"strategy\": \"priority\", \"model\": \"x\"}}", "action.model"),
                Arguments.of("{\"action\": {\"type\": \"require-capability\", \"capability\": \"telepathy\"}}", "action.capability"),
                Arguments.of("{\"action\": {\"type\": \"route-to-model\", \"model\": \"no-such-model-anywhere\"}}", "action.model"),
                Arguments.of("{\"action\": " + route + ", \"colour\": \"red\"}", "colour"),
                Arguments.of("{\"match\": {\"modle\": \"gpt-*\"}, \"action\": " + route + "}", "match.modle"),
                Arguments.of("{\"match\": {\"task\": \"deploy\"}, \"action\": " + route + "}", "match.task"),
                Arguments.of("{\"match\": {\"capability\": \"x\"}, \"action\": " + route + "}", "match.capability"),
                Arguments.of("{\"match\": {\"model\": \"" + "m".repeat(201) + "\"}, \"action\": " + route + "}", "match.model"),
                Arguments.of("{\"match\": {\"maxCostUsd\": 0.5}, \"action\": " + route + "}", "match.maxCostUsd"),
                Arguments.of("{\"match\": {\"maxCostUsd\": \"-1\"}, \"action\": " + route + "}", "match.maxCostUsd"),
                Arguments.of("{\"match\": {\"maxCostUsd\": \"0\"}, \"action\": " + route + "}", "match.maxCostUsd"),
                Arguments.of("{\"match\": {\"maxCostUsd\": \"0.0000001\"}, \"action\": " + route + "}", "match.maxCostUsd"),
                Arguments.of("{\"match\": \"gpt-*\", \"action\": " + route + "}", "match"),
                Arguments.of("{\"priority\": -1, \"action\": " + route + "}", "priority"),
                Arguments.of("{\"priority\": 1.5, \"action\": " + route + "}", "priority"),
                Arguments.of("{\"enabled\": \"yes\", \"action\": " + route + "}", "enabled"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("invalidRules")
    void refusesInvalidRulesNamingTheField(String body, String field) {
        asOperator().body(body).post(OPERATOR_RULES).then().statusCode(400)
                .body("error.type", equalTo("invalid_request")).body("error.field", equalTo(field));
    }

    @Test
    void aRouteToModelRuleMayTargetARoutedAlias() throws Exception {
        tables.deployment(TENANT_A, "own", "mock", "mock-small", 1);
        tables.route(TENANT_A, "team-fast", "priority", new String[] { "own" });
        asTenant(TENANT_A).body(rule(null, "{\"type\": \"route-to-model\", \"model\": \"team-fast\"}")).post(TENANT_RULES)
                .then().statusCode(201);
        // tenant B has no such route
        asTenant(TENANT_B).body(rule(null, "{\"type\": \"route-to-model\", \"model\": \"team-fast\"}")).post(TENANT_RULES)
                .then().statusCode(400).body("error.field", equalTo("action.model"));
    }

    @Test
    void tenantsSeeAndChangeOnlyTheirOwnRules() {
        String body = rule("{\"task\": \"review\"}", "{\"type\": \"require-capability\", \"capability\": \"reasoning\"}");
        String id = asTenant(TENANT_A).body(body).post(TENANT_RULES).then().statusCode(201)
                .body("tenantId", equalTo(TENANT_A)).extract().path("id");

        asTenant(TENANT_A).get(TENANT_RULES).then().statusCode(200).body("rules.id", equalTo(List.of(id)));
        asViewer(TENANT_A).get(TENANT_RULES + "/" + id).then().statusCode(200).body("match.task", equalTo("review"));
        asTenant(TENANT_B).get(TENANT_RULES).then().statusCode(200).body("rules", hasSize(0));
        // another tenant's rule is "not found", whatever the verb
        asTenant(TENANT_B).get(TENANT_RULES + "/" + id).then().statusCode(404);
        asTenant(TENANT_B).body(body).put(TENANT_RULES + "/" + id).then().statusCode(404);
        asTenant(TENANT_B).delete(TENANT_RULES + "/" + id).then().statusCode(404);
        // naming the other tenant answers exactly as a tenant that does not exist
        RoutingTables.assertSameAsNonexistent(t -> asTenant(TENANT_B).queryParam("tenantId", t).get(TENANT_RULES), TENANT_A);
        RoutingTables.assertSameAsNonexistent(t -> asTenant(TENANT_B).queryParam("tenantId", t).body(body).post(TENANT_RULES),
                TENANT_A);
        // viewers read, never write; tenants never touch operator rules
        asViewer(TENANT_A).body(body).post(TENANT_RULES).then().statusCode(403);
        asViewer(TENANT_A).delete(TENANT_RULES + "/" + id).then().statusCode(403);
        asTenant(TENANT_A).get(OPERATOR_RULES).then().statusCode(403);
        asTenant(TENANT_A).body(body).post(OPERATOR_RULES).then().statusCode(403);
        // operator rules are not tenant rules, and vice versa
        asOperator().get(OPERATOR_RULES + "/" + id).then().statusCode(404);

        // operators act for a tenant by naming it
        asOperator().queryParam("tenantId", TENANT_A).get(TENANT_RULES).then().statusCode(200).body("rules.id", equalTo(List.of(id)));
        asOperator().get(TENANT_RULES).then().statusCode(400).body("error.field", equalTo("tenantId"));
        asOperator().queryParam("tenantId", "7a1c0000-0000-4000-8000-0000000000ff").body(body).post(TENANT_RULES)
                .then().statusCode(404).body("error.message", equalTo("tenant 7a1c0000-0000-4000-8000-0000000000ff not found"));

        asTenant(TENANT_A).delete(TENANT_RULES + "/" + id).then().statusCode(204);
        asTenant(TENANT_A).get(TENANT_RULES).then().statusCode(200).body("rules", hasSize(0));
    }

    @Test
    void changesArePublishedForTheProxiesAndPlannedAtOnce() throws Exception {
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        var subscription = redis.pubsub(String.class).subscribe(PlanningService.CHANNEL).subscribe().with(messages::add);
        try {
            // wait until the subscription is live: a message we publish ourselves comes back
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String probe;
            do {
                redis.pubsub(String.class).publish(PlanningService.CHANNEL, "probe").await().indefinitely();
                probe = messages.poll(100, TimeUnit.MILLISECONDS);
            } while (!"probe".equals(probe) && System.nanoTime() < deadline);
            assertEquals("probe", probe);
            messages.clear();

            String id = asTenant(TENANT_A).body(rule("{\"task\": \"test\"}", "{\"type\": \"route-to-model\", \"model\": \"mock-small\"}"))
                    .post(TENANT_RULES).then().statusCode(201).extract().path("id");
            String message = messages.poll(10, TimeUnit.SECONDS);
            assertEquals("{\"tenantId\":\"" + TENANT_A + "\",\"kind\":\"rule\",\"id\":\"" + id + "\",\"action\":\"created\"}",
                    message);

            // the dry run sees the new rule at once
            asTenant(TENANT_A).header("x-acc-task", "test").body("{\"model\": \"mock-large\"}").post("/v1/routing/plan")
                    .then().statusCode(200).body("model", equalTo("mock-small"))
                    .body("rules[0].id", equalTo(id)).body("rules[0].effect", equalTo("route to mock-small"))
                    .body("attempts[0].deploymentId", equalTo("builtin:mock:mock-small"));

            asTenant(TENANT_A).delete(TENANT_RULES + "/" + id).then().statusCode(204);
            String deleted = messages.poll(10, TimeUnit.SECONDS);
            assertTrue(deleted != null && deleted.contains("\"action\":\"deleted\""), String.valueOf(deleted));
            asTenant(TENANT_A).header("x-acc-task", "test").body("{\"model\": \"mock-large\"}").post("/v1/routing/plan")
                    .then().statusCode(200).body("model", equalTo("mock-large")).body("rules", hasSize(0));
        } finally {
            subscription.cancel();
        }
    }
}
