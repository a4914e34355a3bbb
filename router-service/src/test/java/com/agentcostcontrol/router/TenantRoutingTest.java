package com.agentcostcontrol.router;

import static com.agentcostcontrol.router.OperatorRoutingTest.asOperator;
import static com.agentcostcontrol.router.OperatorRoutingTest.createDeployment;
import static com.agentcostcontrol.router.OperatorRoutingTest.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.testing.AccTestEnvironment;
import com.agentcostcontrol.testing.TestIdentities;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_router"), @ResourceArg(name = "redisDb", value = "3") })
class TenantRoutingTest {

    @Inject
    DataSource dataSource;

    String tenantA;
    String tenantB;

    @BeforeEach
    void tenants() {
        tenantA = TestTenants.create(dataSource, unique("tenant-a"));
        tenantB = TestTenants.create(dataSource, unique("tenant-b"));
    }

    static RequestSpecification as(String identityHeader) {
        return given().header(TestIdentities.header(), identityHeader).contentType(ContentType.JSON);
    }

    @Test
    void tenantDeploymentsBelongToTheTenantAndAreInvisibleToOthers() {
        String name = unique("own");
        String id = as(TestIdentities.tenantAdmin(tenantA)).body(Map.of("name", name, "provider", "anthropic",
                "model", "claude-sonnet-4", "apiKey", "sk-ant-tenant-secret"))
                .post("/v1/routing/deployments").then().statusCode(201)
                .body("tenantId", equalTo(tenantA)).body("hasApiKey", equalTo(true))
                .body(not(containsString("sk-ant-tenant-secret")))
                .extract().path("id");
        org.junit.jupiter.api.Assertions.assertEquals(tenantA,
                TestTenants.column(dataSource, "SELECT tenant_id FROM deployments WHERE id = ?", id));

        as(TestIdentities.tenantAdmin(tenantA)).get("/v1/routing/deployments/" + id).then().statusCode(200)
                .body("name", equalTo(name));
        as(TestIdentities.tenantAdmin(tenantA)).get("/v1/routing/deployments").then().statusCode(200)
                .body("name", contains(name));

        // Tenant B: 404 for A's id on every verb, and an empty list.
        String b = TestIdentities.tenantAdmin(tenantB);
        as(b).get("/v1/routing/deployments/" + id).then().statusCode(404).body("error.type", equalTo("not_found"));
        as(b).body(Map.of("name", "stolen", "provider", "mock", "model", "m"))
                .put("/v1/routing/deployments/" + id).then().statusCode(404);
        as(b).delete("/v1/routing/deployments/" + id).then().statusCode(404);
        as(b).get("/v1/routing/deployments").then().statusCode(200).body("size()", equalTo(0));

        // Tenant rows are not operator rows, and the other way round.
        asOperator().get("/admin/v1/deployments/" + id).then().statusCode(404);
        String opId = createDeployment(asOperator(), "/admin/v1/deployments",
                Map.of("name", unique("op"), "provider", "mock", "model", "mock-small"));
        as(TestIdentities.tenantAdmin(tenantA)).get("/v1/routing/deployments/" + opId).then().statusCode(404);

        // The same name may exist once per tenant.
        as(b).body(Map.of("name", name, "provider", "mock", "model", "mock-small"))
                .post("/v1/routing/deployments").then().statusCode(201).body("tenantId", equalTo(tenantB));
        as(TestIdentities.tenantAdmin(tenantA)).body(Map.of("name", name, "provider", "mock", "model", "mock-small"))
                .post("/v1/routing/deployments").then().statusCode(409);

        as(TestIdentities.tenantAdmin(tenantA)).delete("/v1/routing/deployments/" + id).then().statusCode(204);
    }

    @Test
    void viewersReadButDoNotChange() {
        String id = createDeployment(as(TestIdentities.tenantAdmin(tenantA)), "/v1/routing/deployments",
                Map.of("name", unique("v"), "provider", "mock", "model", "mock-small"));
        String viewer = TestIdentities.tenantViewer(tenantA);
        as(viewer).get("/v1/routing/deployments/" + id).then().statusCode(200);
        as(viewer).get("/v1/routing/routes").then().statusCode(200);
        as(viewer).body(Map.of("name", "x", "provider", "mock", "model", "m"))
                .post("/v1/routing/deployments").then().statusCode(403).body("error.type", equalTo("forbidden"));
        as(viewer).delete("/v1/routing/deployments/" + id).then().statusCode(403);
        as(viewer).body(Map.of("deployments", new String[] { "x" })).put("/v1/routing/routes/m")
                .then().statusCode(403);

        // A manage-scoped key carries the admin role and may change.
        as(TestIdentities.manageKey(tenantA, "key-1")).delete("/v1/routing/deployments/" + id).then().statusCode(204);
    }

    @Test
    void aTenantRouteOverridesTheOperatorRouteForThatTenantOnly() {
        String opDeployment = unique("op-dep");
        createDeployment(asOperator(), "/admin/v1/deployments",
                Map.of("name", opDeployment, "provider", "mock", "model", "mock-small"));
        String own = unique("own-dep");
        createDeployment(as(TestIdentities.tenantAdmin(tenantA)), "/v1/routing/deployments",
                Map.of("name", own, "provider", "mock", "model", "mock-large"));
        String model = unique("gpt");

        asOperator().body(Map.of("deployments", new String[] { opDeployment })).put("/admin/v1/routes/" + model)
                .then().statusCode(200);
        // A tenant route may use its own deployments and the operator's.
        as(TestIdentities.tenantAdmin(tenantA))
                .body(Map.of("deployments", new String[] { own, opDeployment }, "strategy", "lowest-cost"))
                .put("/v1/routing/routes/" + model).then().statusCode(200)
                .body("scope", equalTo("tenant")).body("tenantId", equalTo(tenantA))
                .body("deployments", contains(own, opDeployment));

        as(TestIdentities.tenantViewer(tenantA)).get("/v1/routing/effective-routes/" + model).then().statusCode(200)
                .body("scope", equalTo("tenant")).body("strategy", equalTo("lowest-cost"));
        as(TestIdentities.tenantViewer(tenantB)).get("/v1/routing/effective-routes/" + model).then().statusCode(200)
                .body("scope", equalTo("operator")).body("deployments", contains(opDeployment));
        as(TestIdentities.tenantViewer(tenantB)).get("/v1/routing/effective-routes/" + unique("none"))
                .then().statusCode(404);

        // B sees neither A's route nor can it use A's deployment.
        as(TestIdentities.tenantAdmin(tenantB)).get("/v1/routing/routes/" + model).then().statusCode(404);
        as(TestIdentities.tenantAdmin(tenantB)).get("/v1/routing/routes").then().statusCode(200)
                .body("model", not(hasItem(model)));
        as(TestIdentities.tenantAdmin(tenantB)).delete("/v1/routing/routes/" + model).then().statusCode(404);
        as(TestIdentities.tenantAdmin(tenantB)).body(Map.of("deployments", new String[] { own }))
                .put("/v1/routing/routes/" + model).then().statusCode(400)
                .body("error.field", equalTo("deployments"));

        // The operator deployment is used by A's route: the operator cannot delete it yet.
        String opId = asOperator().get("/admin/v1/deployments").then().extract()
                .path("find { it.name == '" + opDeployment + "' }.id");
        asOperator().delete("/admin/v1/routes/" + model).then().statusCode(204);
        asOperator().delete("/admin/v1/deployments/" + opId).then().statusCode(409)
                .body("error.message", containsString(tenantA));

        as(TestIdentities.tenantAdmin(tenantA)).delete("/v1/routing/routes/" + model).then().statusCode(204);
        asOperator().delete("/admin/v1/deployments/" + opId).then().statusCode(204);
    }

    @Test
    void callersWithoutAKnownTenantAreTurnedAway() {
        asOperator().get("/v1/routing/deployments").then().statusCode(403)
                .body("error.message", containsString("/admin/v1"));
        String ghost = UUID.randomUUID().toString();
        as(TestIdentities.tenantAdmin(ghost)).body(Map.of("name", "x", "provider", "mock", "model", "m"))
                .post("/v1/routing/deployments").then().statusCode(404)
                .body("error.message", containsString(ghost));
        given().get("/v1/routing/deployments").then().statusCode(401);
    }
}
