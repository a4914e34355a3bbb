package com.agentcostcontrol.budget.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.Fixtures;
import com.agentcostcontrol.budget.service.BudgetChangePublisher;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class BudgetApiTest {

    @Inject
    Fixtures fx;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    ObjectMapper json;

    @Test
    void createsReadsUpdatesAndDeletesABudget() {
        UUID tenant = fx.tenant();
        String id = fx.admin(tenant).body("""
                {"scope": {"type": "tenant"}, "period": "monthly", "limitUsd": "25.5", "mode": "hard",
                 "alertThresholds": [100, 50, 80, 50], "timezone": "Europe/Berlin"}""")
                .post("/v1/budgets").then().statusCode(201)
                .header("Location", containsString("/v1/budgets/"))
                .body("id", notNullValue())
                .body("tenantId", equalTo(tenant.toString()))
                .body("scope.type", equalTo("tenant"))
                .body("scope.id", nullValue())
                .body("period", equalTo("monthly"))
                .body("limitUsd", equalTo("25.500000"))
                .body("mode", equalTo("hard"))
                .body("alertThresholds", contains(50, 80, 100))
                .body("timezone", equalTo("Europe/Berlin"))
                .extract().path("id");

        fx.viewer(tenant).get("/v1/budgets/" + id).then().statusCode(200).body("limitUsd", equalTo("25.500000"));
        fx.admin(tenant).get("/v1/budgets").then().statusCode(200).body("budgets", hasSize(1)).body("budgets[0].id", equalTo(id));

        fx.admin(tenant).body("""
                {"scope": {"type": "tenant"}, "period": "weekly", "limitUsd": "30.000001", "mode": "soft"}""")
                .put("/v1/budgets/" + id).then().statusCode(200)
                .body("period", equalTo("weekly"))
                .body("limitUsd", equalTo("30.000001"))
                .body("mode", equalTo("soft"))
                .body("alertThresholds", contains(50, 75, 90, 100)) // the default when the body names none
                .body("timezone", equalTo("UTC"));
        fx.admin(tenant).body("""
                {"scope": {"type": "tenant"}, "period": "weekly", "limitUsd": "30.000001", "mode": "soft",
                 "alertThresholds": []}""")
                .put("/v1/budgets/" + id).then().statusCode(200)
                .body("alertThresholds", hasSize(0));
        fx.admin(tenant).get("/v1/budgets/" + id).then().statusCode(200).body("limitUsd", equalTo("30.000001"));

        fx.admin(tenant).delete("/v1/budgets/" + id).then().statusCode(204);
        fx.admin(tenant).get("/v1/budgets/" + id).then().statusCode(404).body("error.type", equalTo("not_found"));
        fx.admin(tenant).get("/v1/budgets").then().statusCode(200).body("budgets", hasSize(0));
    }

    @Test
    void everyScopeTypeIsAccepted() {
        UUID tenant = fx.tenant();
        UUID key = fx.key(tenant);
        fx.admin(tenant).body("{\"scope\":{\"type\":\"key\",\"id\":\"" + key + "\"},\"period\":\"daily\",\"limitUsd\":\"1\"}")
                .post("/v1/budgets").then().statusCode(201).body("scope.id", equalTo(key.toString())).body("mode", equalTo("hard"));
        fx.admin(tenant).body("{\"scope\":{\"type\":\"agent\",\"id\":\"planner-7\"},\"period\":\"weekly\",\"limitUsd\":\"2\",\"mode\":\"soft\"}")
                .post("/v1/budgets").then().statusCode(201).body("scope.type", equalTo("agent")).body("scope.id", equalTo("planner-7"));
        fx.admin(tenant).body("{\"scope\":{\"type\":\"model\",\"id\":\"gpt-4o\"},\"period\":\"total\",\"limitUsd\":\"3\"}")
                .post("/v1/budgets").then().statusCode(201).body("scope.id", equalTo("gpt-4o"));
        fx.admin(tenant).body("{\"scope\":{\"type\":\"key+model\",\"id\":\"" + key + "\",\"model\":\"claude-sonnet-4\"},"
                + "\"period\":\"monthly\",\"limitUsd\":\"4\"}")
                .post("/v1/budgets").then().statusCode(201)
                .body("scope.type", equalTo("key+model")).body("scope.id", equalTo(key.toString()))
                .body("scope.model", equalTo("claude-sonnet-4"));
        fx.admin(tenant).get("/v1/budgets").then().statusCode(200).body("budgets", hasSize(4));
    }

    @Test
    void invalidBudgetsAreRefusedNamingTheField() {
        UUID tenant = fx.tenant();
        UUID otherTenantsKey = fx.key(fx.tenant());
        String ok = "\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"1.00\"";
        refused(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":1.5}", "limitUsd", "not a number");
        refused(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"-1\"}", "limitUsd", "negative");
        refused(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"0.0000001\"}", "limitUsd", "6 decimals");
        refused(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"ten\"}", "limitUsd", "decimal string");
        refused(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\"}", "limitUsd", "required");
        refused(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"hourly\",\"limitUsd\":\"1\"}", "period", "daily, weekly, monthly, total");
        refused(tenant, "{\"scope\":{\"type\":\"tenant\"},\"limitUsd\":\"1\"}", "period", "required");
        refused(tenant, "{" + ok + ",\"mode\":\"strict\"}", "mode", "hard, soft");
        refused(tenant, "{\"scope\":{\"type\":\"team\"},\"period\":\"daily\",\"limitUsd\":\"1\"}", "scope.type",
                "tenant, key, agent, model, key+model");
        refused(tenant, "{\"period\":\"daily\",\"limitUsd\":\"1\"}", "scope", "required");
        refused(tenant, "{\"scope\":{\"type\":\"agent\"},\"period\":\"daily\",\"limitUsd\":\"1\"}", "scope.id", "agent id");
        refused(tenant, "{\"scope\":{\"type\":\"key\",\"id\":\"not-a-uuid\"},\"period\":\"daily\",\"limitUsd\":\"1\"}", "scope.id", "UUID");
        refused(tenant, "{\"scope\":{\"type\":\"key\",\"id\":\"" + otherTenantsKey + "\"},\"period\":\"daily\",\"limitUsd\":\"1\"}",
                "scope.id", "no virtual key");
        refused(tenant, "{\"scope\":{\"type\":\"key+model\",\"id\":\"" + UUID.randomUUID() + "\"},\"period\":\"daily\",\"limitUsd\":\"1\"}",
                "scope.model", "model");
        refused(tenant, "{" + ok + ",\"timezone\":\"Mars/Olympus_Mons\"}", "timezone", "IANA");
        refused(tenant, "{" + ok + ",\"alertThresholds\":[50, 101]}", "alertThresholds", "1 to 100");
        refused(tenant, "{" + ok + ",\"alertThresholds\":[0]}", "alertThresholds", "1 to 100");
        refused(tenant, "{" + ok + ",\"alertThresholds\":[50.5]}", "alertThresholds", "whole percentages");
        refused(tenant, "{" + ok + ",\"alertThresholds\":80}", "alertThresholds", "array");
        fx.admin(tenant).body("[1, 2]").post("/v1/budgets").then().statusCode(400).body("error.type", equalTo("invalid_request"));
        fx.admin(tenant).body("{\"scope\": ").post("/v1/budgets").then().statusCode(400).body("error.type", equalTo("invalid_request"));
        // Nothing was created by any of them.
        fx.admin(tenant).get("/v1/budgets").then().statusCode(200).body("budgets", hasSize(0));
    }

    @Test
    void theScopeOfABudgetCannotChange() {
        UUID tenant = fx.tenant();
        String id = fx.budget(tenant, "{\"scope\":{\"type\":\"model\",\"id\":\"gpt-4o\"},\"period\":\"daily\",\"limitUsd\":\"1\"}");
        fx.admin(tenant).body("{\"scope\":{\"type\":\"model\",\"id\":\"gpt-4o-mini\"},\"period\":\"daily\",\"limitUsd\":\"1\"}")
                .put("/v1/budgets/" + id).then().statusCode(400).body("error.field", equalTo("scope"));
        fx.admin(tenant).body("{\"scope\":{\"type\":\"model\",\"id\":\"gpt-4o\"},\"period\":\"daily\",\"limitUsd\":\"1.0000001\"}")
                .put("/v1/budgets/" + id).then().statusCode(400).body("error.field", equalTo("limitUsd"));
        fx.admin(tenant).get("/v1/budgets/" + id).then().statusCode(200).body("scope.id", equalTo("gpt-4o")).body("limitUsd", equalTo("1.000000"));
    }

    @Test
    void anotherTenantsBudgetIsNotFound() {
        UUID owner = fx.tenant();
        UUID intruder = fx.tenant();
        String id = fx.budget(owner, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"5\"}");
        String body = "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"500\"}";

        fx.admin(intruder).get("/v1/budgets/" + id).then().statusCode(404);
        fx.admin(intruder).get("/v1/budgets/" + id + "/status").then().statusCode(404);
        fx.admin(intruder).get("/v1/budgets/" + id + "/alerts").then().statusCode(404);
        fx.admin(intruder).body(body).put("/v1/budgets/" + id).then().statusCode(404);
        fx.admin(intruder).delete("/v1/budgets/" + id).then().statusCode(404);
        fx.admin(intruder).get("/v1/budgets").then().statusCode(200).body("budgets", hasSize(0));
        // Naming the other tenant explicitly answers exactly what a tenant that does not exist answers.
        String ghost = UUID.randomUUID().toString();
        assertSameAsNonexistent(t -> fx.admin(intruder).get("/v1/budgets?tenantId=" + t), owner.toString(), ghost);
        assertSameAsNonexistent(t -> fx.admin(intruder).body(body).post("/v1/budgets?tenantId=" + t), owner.toString(),
                ghost);
        fx.admin(owner).get("/v1/budgets").then().statusCode(200).body("budgets", hasSize(1));

        fx.admin(owner).get("/v1/budgets/" + id).then().statusCode(200).body("limitUsd", equalTo("5.000000"));
        fx.admin(intruder).get("/v1/budgets/" + UUID.randomUUID()).then().statusCode(404);
        fx.admin(intruder).get("/v1/budgets/not-a-uuid").then().statusCode(404);
    }

    /** docs/IDENTITY.md: 404, byte for byte the answer for a nonexistent id. */
    static void assertSameAsNonexistent(java.util.function.Function<String, io.restassured.response.Response> call,
            String theirs, String ghost) {
        io.restassured.response.Response other = call.apply(theirs);
        io.restassured.response.Response none = call.apply(ghost);
        other.then().statusCode(404).body("error.type", equalTo("not_found"));
        org.junit.jupiter.api.Assertions.assertEquals(none.statusCode(), other.statusCode());
        org.junit.jupiter.api.Assertions.assertEquals(none.asString(), other.asString());
    }

    @Test
    void viewersReadButDoNotChange() {
        UUID tenant = fx.tenant();
        String id = fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"5\"}");
        String body = "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"6\"}";
        fx.viewer(tenant).get("/v1/budgets/" + id + "/status").then().statusCode(200);
        fx.viewer(tenant).body(body).post("/v1/budgets").then().statusCode(403).body("error.type", equalTo("forbidden"));
        fx.viewer(tenant).body(body).put("/v1/budgets/" + id).then().statusCode(403);
        fx.viewer(tenant).delete("/v1/budgets/" + id).then().statusCode(403);
        fx.admin(tenant).get("/v1/budgets/" + id).then().statusCode(200).body("limitUsd", equalTo("5.000000"));
    }

    @Test
    void unsignedOrForgedIdentitiesAreRejected() {
        given().contentType(ContentType.JSON).get("/v1/budgets").then().statusCode(401).body("error.type", equalTo("unauthorized"));
        given().header("X-ACC-Identity", "v1.eyJ0ZW5hbnQiOiJ4In0.Zm9yZ2Vk").get("/v1/budgets").then().statusCode(401);
    }

    @Test
    void operatorsNameTheTenant() {
        UUID tenant = fx.tenant();
        String body = "{\"scope\":{\"type\":\"tenant\"},\"period\":\"total\",\"limitUsd\":\"100\"}";
        fx.operator().body(body).post("/v1/budgets").then().statusCode(400).body("error.field", equalTo("tenantId"));
        fx.operator().body(body).post("/v1/budgets?tenantId=" + UUID.randomUUID()).then().statusCode(404);
        fx.operator().body(body).post("/v1/budgets?tenantId=" + tenant).then().statusCode(201).body("tenantId", equalTo(tenant.toString()));
        fx.operator().get("/v1/budgets?tenantId=" + tenant).then().statusCode(200).body("budgets", hasSize(1));
    }

    @Test
    void changesArePublishedForProxies() throws Exception {
        List<JsonNode> messages = new CopyOnWriteArrayList<>();
        var subscription = redis.pubsub(String.class).subscribe(BudgetChangePublisher.CHANNEL)
                .subscribe().with(m -> {
                    try {
                        messages.add(json.readTree(m));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        try {
            awaitSubscribed();
            UUID tenant = fx.tenant();
            String id = fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"5\"}");
            fx.admin(tenant).body("{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"6\"}")
                    .put("/v1/budgets/" + id).then().statusCode(200);
            fx.admin(tenant).delete("/v1/budgets/" + id).then().statusCode(204);

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (messages.stream().filter(m -> id.equals(m.path("budgetId").asText())).count() < 3
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<String> changes = messages.stream().filter(m -> id.equals(m.path("budgetId").asText()))
                    .peek(m -> assertEquals(tenant.toString(), m.path("tenantId").asText()))
                    .map(m -> m.path("change").asText()).toList();
            assertEquals(List.of("created", "updated", "deleted"), changes);
        } finally {
            subscription.cancel();
        }
    }

    private void awaitSubscribed() throws InterruptedException {
        // A message published before SUBSCRIBE completes is lost: wait until Redis counts our subscriber.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            var count = redis.execute("PUBSUB", "NUMSUB", BudgetChangePublisher.CHANNEL).await().indefinitely();
            if (count.get(1).toLong() > 0) {
                return;
            }
            Thread.sleep(10);
        }
        assertTrue(false, "subscription did not start");
    }

    private void refused(UUID tenant, String body, String field, String messagePart) {
        fx.admin(tenant).body(body).post("/v1/budgets").then().statusCode(400)
                .body("error.type", equalTo("invalid_request"))
                .body("error.field", equalTo(field))
                .body("error.message", containsString(messagePart));
    }
}
