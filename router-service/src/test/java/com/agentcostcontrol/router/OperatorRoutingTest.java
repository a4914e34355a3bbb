package com.agentcostcontrol.router;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.platform.crypto.CredentialCipher;
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
class OperatorRoutingTest {

    @Inject
    DataSource dataSource;

    static RequestSpecification asOperator() {
        return given().header(TestIdentities.header(), TestIdentities.operator()).contentType(ContentType.JSON);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String createDeployment(RequestSpecification as, String path, Map<String, Object> body) {
        return as.body(body).post(path).then().statusCode(201).extract().path("id");
    }

    @Test
    void createsADeploymentAndStoresItsCredentialEncrypted() {
        String name = unique("openai-main");
        String id = asOperator().body(Map.of("name", name, "provider", "openai", "model", "gpt-4o",
                "apiKey", "sk-test-plaintext-credential", "weight", 3))
                .post("/admin/v1/deployments").then().statusCode(201)
                .body("id", notNullValue())
                .body("name", equalTo(name))
                .body("provider", equalTo("openai"))
                .body("model", equalTo("gpt-4o"))
                .body("baseUrl", nullValue())
                .body("hasApiKey", equalTo(true))
                .body("weight", equalTo(3))
                .body("timeoutMs", equalTo(60000))
                .body("enabled", equalTo(true))
                .body("tenantId", nullValue())
                .body("$", not(org.hamcrest.Matchers.hasKey("apiKey")))
                .body(not(containsString("sk-test-plaintext-credential")))
                .extract().path("id");

        String stored = TestTenants.column(dataSource, "SELECT api_key_ciphertext FROM deployments WHERE id = ?", id);
        assertTrue(stored.startsWith("v1:"), stored);
        assertFalse(stored.contains("sk-test-plaintext-credential"));
        String key = ConfigProvider.getConfig().getValue("acc.router.secret-key", String.class);
        assertEquals("sk-test-plaintext-credential", CredentialCipher.fromBase64Key(key).decrypt(stored, id));

        asOperator().get("/admin/v1/deployments/" + id).then().statusCode(200)
                .body("name", equalTo(name)).body("hasApiKey", equalTo(true))
                .body(not(containsString("sk-test-plaintext-credential")));
        asOperator().get("/admin/v1/deployments").then().statusCode(200)
                .body("name", hasItem(name)).body(not(containsString("sk-test")));
    }

    @Test
    void updatesKeepsOrClearsTheCredentialAndDeletes() {
        String name = unique("compat");
        String id = createDeployment(asOperator(), "/admin/v1/deployments", Map.of("name", name,
                "provider", "openai-compatible", "model", "llama-3", "baseUrl", "http://llm.internal:8000/v1",
                "apiKey", "k1"));
        String before = TestTenants.column(dataSource, "SELECT api_key_ciphertext FROM deployments WHERE id = ?", id);

        // No apiKey in the body: the stored credential stays.
        asOperator().body(Map.of("name", name + "-renamed", "provider", "openai-compatible", "model", "llama-3.1",
                "baseUrl", "https://llm.internal/v1", "weight", 2, "enabled", false))
                .put("/admin/v1/deployments/" + id).then().statusCode(200)
                .body("name", equalTo(name + "-renamed")).body("model", equalTo("llama-3.1"))
                .body("baseUrl", equalTo("https://llm.internal/v1")).body("weight", equalTo(2))
                .body("enabled", equalTo(false)).body("hasApiKey", equalTo(true));
        assertEquals(before, TestTenants.column(dataSource, "SELECT api_key_ciphertext FROM deployments WHERE id = ?", id));

        // "" removes it.
        asOperator().body(Map.of("name", name + "-renamed", "provider", "openai-compatible", "model", "llama-3.1",
                "baseUrl", "https://llm.internal/v1", "apiKey", ""))
                .put("/admin/v1/deployments/" + id).then().statusCode(200).body("hasApiKey", equalTo(false));
        assertNull(TestTenants.column(dataSource, "SELECT api_key_ciphertext FROM deployments WHERE id = ?", id));

        asOperator().delete("/admin/v1/deployments/" + id).then().statusCode(204);
        asOperator().get("/admin/v1/deployments/" + id).then().statusCode(404)
                .body("error.type", equalTo("not_found"));
        asOperator().delete("/admin/v1/deployments/" + id).then().statusCode(404);
        asOperator().get("/admin/v1/deployments/not-a-uuid").then().statusCode(404)
                .body("error.type", equalTo("not_found"));
    }

    @Test
    void rejectsInvalidDeploymentsNamingTheField() {
        assertBadRequest(Map.of("provider", "openai", "model", "m"), "name");
        assertBadRequest(Map.of("name", "x", "provider", "bedrock", "model", "m"), "provider");
        assertBadRequest(Map.of("name", "x", "provider", "openai"), "model");
        assertBadRequest(Map.of("name", "x", "provider", "sub2api", "model", "m"), "baseUrl");
        assertBadRequest(Map.of("name", "x", "provider", "azure-openai", "model", "m", "baseUrl", "ftp://h/x"), "baseUrl");
        assertBadRequest(Map.of("name", "x", "provider", "openai", "model", "m", "baseUrl", "not a url"), "baseUrl");
        assertBadRequest(Map.of("name", "x", "provider", "openai", "model", "m", "weight", 0), "weight");
        assertBadRequest(Map.of("name", " x", "provider", "openai", "model", "m"), "name");
        asOperator().body(Map.of("name", "x", "provider", "openai", "model", "m", "weight", "heavy"))
                .post("/admin/v1/deployments").then().statusCode(400).body("error.field", equalTo("weight"));
        asOperator().body("{\"name\": ").post("/admin/v1/deployments").then().statusCode(400)
                .body("error.type", equalTo("invalid_request"));
    }

    private static void assertBadRequest(Map<String, Object> body, String field) {
        asOperator().body(body).post("/admin/v1/deployments").then().statusCode(400)
                .body("error.type", equalTo("invalid_request"))
                .body("error.field", equalTo(field))
                .body("error.message", notNullValue());
    }

    @Test
    void duplicateNameIsAConflict() {
        String name = unique("dup");
        createDeployment(asOperator(), "/admin/v1/deployments", Map.of("name", name, "provider", "mock", "model", "mock-small"));
        asOperator().body(Map.of("name", name, "provider", "mock", "model", "mock-large"))
                .post("/admin/v1/deployments").then().statusCode(409)
                .body("error.type", equalTo("conflict")).body("error.message", containsString(name));
    }

    @Test
    void routesMapModelsToDeployments() {
        String a = unique("a");
        String b = unique("b");
        createDeployment(asOperator(), "/admin/v1/deployments", Map.of("name", a, "provider", "mock", "model", "mock-small"));
        createDeployment(asOperator(), "/admin/v1/deployments", Map.of("name", b, "provider", "mock", "model", "mock-large"));
        String model = unique("team") + "/smart";

        asOperator().body(Map.of("deployments", new String[] { a, "missing-deployment" }))
                .put("/admin/v1/routes/" + model).then().statusCode(400)
                .body("error.field", equalTo("deployments"))
                .body("error.message", containsString("missing-deployment"));

        String routeId = asOperator().body(Map.of("deployments", new String[] { a, b }))
                .put("/admin/v1/routes/" + model).then().statusCode(200)
                .body("model", equalTo(model))
                .body("deployments", contains(a, b))
                .body("strategy", equalTo("priority"))
                .body("fallbacks", org.hamcrest.Matchers.empty())
                .body("scope", equalTo("operator"))
                .extract().path("id");

        asOperator().body(Map.of("deployments", new String[] { b }, "strategy", "weighted",
                "fallbacks", new String[] { "mock-small" }))
                .put("/admin/v1/routes/" + model).then().statusCode(200)
                .body("id", equalTo(routeId))
                .body("deployments", contains(b))
                .body("strategy", equalTo("weighted"))
                .body("fallbacks", contains("mock-small"));

        asOperator().get("/admin/v1/routes/" + model).then().statusCode(200).body("strategy", equalTo("weighted"));
        asOperator().get("/admin/v1/routes").then().statusCode(200).body("model", hasItem(model));

        asOperator().body(Map.of("deployments", new String[] { a }, "strategy", "random"))
                .put("/admin/v1/routes/" + model).then().statusCode(400).body("error.field", equalTo("strategy"));
        asOperator().body(Map.of("deployments", new String[] {}))
                .put("/admin/v1/routes/" + model).then().statusCode(400).body("error.field", equalTo("deployments"));
        asOperator().body(Map.of("deployments", new String[] { a }, "fallbacks", new String[] { model }))
                .put("/admin/v1/routes/" + model).then().statusCode(400).body("error.field", equalTo("fallbacks"));
        asOperator().body(Map.of("deployments", new String[] { a, a }))
                .put("/admin/v1/routes/" + model).then().statusCode(400).body("error.field", equalTo("deployments"));

        asOperator().delete("/admin/v1/routes/" + model).then().statusCode(204);
        asOperator().get("/admin/v1/routes/" + model).then().statusCode(404).body("error.type", equalTo("not_found"));
    }

    @Test
    void aDeploymentInUseCannotBeDeletedOrRenamed() {
        String name = unique("used");
        String id = createDeployment(asOperator(), "/admin/v1/deployments",
                Map.of("name", name, "provider", "mock", "model", "mock-small"));
        String model = unique("model");
        asOperator().body(Map.of("deployments", new String[] { name })).put("/admin/v1/routes/" + model)
                .then().statusCode(200);

        asOperator().delete("/admin/v1/deployments/" + id).then().statusCode(409)
                .body("error.message", containsString(model));
        asOperator().body(Map.of("name", name + "-new", "provider", "mock", "model", "mock-small"))
                .put("/admin/v1/deployments/" + id).then().statusCode(409)
                .body("error.message", containsString(model));

        asOperator().delete("/admin/v1/routes/" + model).then().statusCode(204);
        asOperator().delete("/admin/v1/deployments/" + id).then().statusCode(204);
    }

    @Test
    void onlyOperatorsUseTheOperatorApi() {
        String tenant = UUID.randomUUID().toString();
        given().header(TestIdentities.header(), TestIdentities.tenantAdmin(tenant))
                .get("/admin/v1/deployments").then().statusCode(403).body("error.type", equalTo("forbidden"));
        given().header(TestIdentities.header(), TestIdentities.tenantAdmin(tenant)).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "provider", "mock", "model", "m"))
                .post("/admin/v1/deployments").then().statusCode(403);
        given().header(TestIdentities.header(), TestIdentities.tenantAdmin(tenant)).contentType(ContentType.JSON)
                .body(Map.of("deployments", new String[] { "x" }))
                .put("/admin/v1/routes/m").then().statusCode(403);
        given().get("/admin/v1/routes").then().statusCode(401).body("error.type", equalTo("unauthorized"));
    }
}
