package com.agentcostcontrol.router;

import static com.agentcostcontrol.router.OperatorRoutingTest.asOperator;
import static com.agentcostcontrol.router.OperatorRoutingTest.createDeployment;
import static com.agentcostcontrol.router.OperatorRoutingTest.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.testing.AccTestEnvironment;
import com.agentcostcontrol.testing.TestIdentities;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_router"), @ResourceArg(name = "redisDb", value = "3") })
class RoutingChangedPublishTest {

    @Inject
    RedisDataSource redis;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private PubSubCommands.RedisSubscriber subscriber;

    @BeforeEach
    void subscribe() {
        subscriber = redis.pubsub(String.class).subscribe(RoutingChanged.CHANNEL, received::add);
    }

    @AfterEach
    void unsubscribe() {
        subscriber.unsubscribe();
    }

    private JsonNode next() throws Exception {
        String message = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(message, "no message on " + RoutingChanged.CHANNEL + " within 5 s");
        return json.readTree(message);
    }

    @Test
    void everyOperatorChangeIsPublished() throws Exception {
        String name = unique("pub");
        String id = createDeployment(asOperator(), "/admin/v1/deployments",
                Map.of("name", name, "provider", "mock", "model", "mock-small"));
        JsonNode created = next();
        assertTrue(created.get("tenantId").isNull(), created.toString());
        assertEquals("deployment", created.get("kind").asText());
        assertEquals(id, created.get("id").asText());
        assertEquals("created", created.get("action").asText());

        String model = unique("m");
        String routeId = asOperator().body(Map.of("deployments", new String[] { name }))
                .put("/admin/v1/routes/" + model).then().statusCode(200).extract().path("id");
        JsonNode route = next();
        assertEquals("route", route.get("kind").asText());
        assertEquals(routeId, route.get("id").asText());

        asOperator().delete("/admin/v1/routes/" + model).then().statusCode(204);
        JsonNode deleted = next();
        assertEquals(routeId, deleted.get("id").asText());
        assertEquals("deleted", deleted.get("action").asText());

        asOperator().body(Map.of("name", name, "provider", "mock", "model", "mock-large"))
                .put("/admin/v1/deployments/" + id).then().statusCode(200);
        JsonNode updated = next();
        assertEquals(id, updated.get("id").asText());
        assertEquals("updated", updated.get("action").asText());
    }

    @Test
    void tenantChangesCarryTheTenantAndRejectedChangesAreNotPublished() throws Exception {
        String tenant = TestTenants.create(dataSource, unique("pub-tenant"));
        String name = unique("tdep");
        String id = given().header(TestIdentities.header(), TestIdentities.tenantAdmin(tenant))
                .contentType(ContentType.JSON).body(Map.of("name", name, "provider", "mock", "model", "mock-small"))
                .post("/v1/routing/deployments").then().statusCode(201).extract().path("id");
        JsonNode created = next();
        assertEquals(tenant, created.get("tenantId").asText());
        assertEquals("deployment", created.get("kind").asText());
        assertEquals(id, created.get("id").asText());

        // A refused change (duplicate name) commits nothing, so nothing is published.
        given().header(TestIdentities.header(), TestIdentities.tenantAdmin(tenant))
                .contentType(ContentType.JSON).body(Map.of("name", name, "provider", "mock", "model", "mock-small"))
                .post("/v1/routing/deployments").then().statusCode(409);
        assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS));
    }
}
