package com.agentcostcontrol.proxy.rest;

import static com.agentcostcontrol.proxy.testing.EdgeTestResources.OPERATOR_TOKEN;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.bearer;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.createTenant;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.issueKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.agentcostcontrol.proxy.KeyCheck;
import com.agentcostcontrol.proxy.service.KeyAuthenticator;
import com.agentcostcontrol.proxy.service.KeyCodec;
import com.agentcostcontrol.proxy.testing.SiblingServicesStub;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SiblingServicesStub.class)
class TenantKeyApiTest {

    @Inject
    DataSource dataSource;
    @Inject
    KeyAuthenticator authenticator;

    @Test
    void operatorCreatesATenantAndReadsAndListsIt() {
        Response created = given().header("Authorization", bearer(OPERATOR_TOKEN)).contentType(ContentType.JSON)
                .body("{\"name\":\"  Acme Robotics  \"}").post("/admin/v1/tenants");
        created.then().statusCode(201)
                .header("Location", containsString("/admin/v1/tenants/"))
                .body("name", equalTo("Acme Robotics"))
                .body("status", equalTo("active"));
        String id = created.path("id");
        assertEquals(id, UUID.fromString(id).toString());

        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/admin/v1/tenants/" + id)
                .then().statusCode(200).body("id", equalTo(id)).body("name", equalTo("Acme Robotics"));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).queryParam("limit", 1000).get("/admin/v1/tenants")
                .then().statusCode(200).body("data.id", hasItem(id));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/admin/v1/tenants/" + UUID.randomUUID())
                .then().statusCode(404).body("error.type", equalTo("not_found"));
    }

    @Test
    void issuedKeyIsShownOnceAndOnlyItsHashIsStored() throws SQLException {
        String tenant = createTenant("hash-only");
        Response issued = issueKey(tenant, Map.of("name", "ci", "models", List.of("mock-small", "mock-large"),
                "rpmLimit", 60, "tpmLimit", 100000, "expiresAt", "2999-01-01T00:00:00Z", "scopes", List.of("llm")));
        String key = issued.path("key");
        String keyId = issued.path("id");
        assertTrue(KeyCodec.looksLikeKey(key), "key has the sk-acc- shape");
        issued.then().body("prefix", equalTo(KeyCodec.displayPrefix(key)))
                .body("tenantId", equalTo(tenant))
                .body("models", equalTo(List.of("mock-small", "mock-large")))
                .body("rpmLimit", equalTo(60)).body("tpmLimit", equalTo(100000))
                .body("scopes", equalTo(List.of("llm")))
                .body("expiresAt", equalTo("2999-01-01T00:00:00Z"));

        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT * FROM virtual_keys WHERE id = ?")) {
            q.setObject(1, UUID.fromString(keyId));
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next());
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    String text = v instanceof java.sql.Array a ? String.join(",", (String[]) a.getArray()) : String.valueOf(v);
                    assertFalse(text.contains(key.substring(KeyCodec.KEY_PREFIX.length())),
                            "column " + rs.getMetaData().getColumnName(i) + " holds the key's secret");
                }
                assertEquals(KeyCodec.hash(key), rs.getString("key_hash"));
            }
        }

        // The key works on the hot path's check, with what was asked for.
        KeyCheck.Accepted accepted = assertInstanceOf(KeyCheck.Accepted.class, authenticator.checkBlocking(key));
        assertEquals(Integer.valueOf(60), accepted.key().rpmLimit());
        assertEquals(List.of("mock-small", "mock-large"), accepted.key().allowedModels());

        // Listing never shows the secret or the hash.
        String listing = given().header("Authorization", bearer(OPERATOR_TOKEN))
                .get("/admin/v1/tenants/" + tenant + "/keys").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].id", equalTo(keyId)).body("data[0].status", equalTo("active"))
                .body("data[0].key", nullValue()).body("data[0].keyHash", nullValue())
                .extract().asString();
        assertFalse(listing.contains(key.substring(KeyCodec.KEY_PREFIX.length())));
        assertFalse(listing.contains(KeyCodec.hash(key)));
    }

    @Test
    void revokedKeyIsRefusedWithinOneSecond() {
        String tenant = createTenant("revocation");
        Response issued = issueKey(tenant, "admin", List.of("llm", "manage"));
        String key = issued.path("key");
        // Used once, so the key is in the cache when it is revoked.
        given().header("Authorization", bearer(key)).get("/v1/tenant").then().statusCode(200);
        assertInstanceOf(KeyCheck.Accepted.class, authenticator.checkBlocking(key));

        given().header("Authorization", bearer(OPERATOR_TOKEN)).delete("/admin/v1/keys/" + issued.path("id"))
                .then().statusCode(204);
        long start = System.nanoTime();
        long deadline = start + 1_000_000_000L;
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            refused = authenticator.checkBlocking(key) instanceof KeyCheck.Refused
                    && given().header("Authorization", bearer(key)).get("/v1/tenant").statusCode() == 401;
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(refused, "revoked key still accepted after " + tookMs + " ms");
        assertTrue(tookMs <= 1000, "revocation took " + tookMs + " ms");

        given().header("Authorization", bearer(key)).get("/v1/tenant").then().statusCode(401)
                .body("error.type", equalTo("invalid_api_key"));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/admin/v1/tenants/" + tenant + "/keys")
                .then().body("data[0].status", equalTo("revoked")).body("data[0].revokedAt", not(nullValue()));
        // Revoking again is not an error.
        given().header("Authorization", bearer(OPERATOR_TOKEN)).delete("/admin/v1/keys/" + issued.path("id"))
                .then().statusCode(204);
    }

    @Test
    void suspendedTenantsKeysGet402UntilReactivated() {
        String tenant = createTenant("suspension");
        String key = issueKey(tenant, "admin", List.of("llm", "manage")).path("key");
        given().header("Authorization", bearer(key)).get("/v1/tenant").then().statusCode(200);

        given().header("Authorization", bearer(OPERATOR_TOKEN)).post("/admin/v1/tenants/" + tenant + "/suspend")
                .then().statusCode(200).body("status", equalTo("suspended"));
        assertEquals(402, assertInstanceOf(KeyCheck.Refused.class, authenticator.checkBlocking(key)).status());
        given().header("Authorization", bearer(key)).get("/v1/tenant").then().statusCode(402)
                .body("error.type", equalTo("tenant_suspended"));

        given().header("Authorization", bearer(OPERATOR_TOKEN)).post("/admin/v1/tenants/" + tenant + "/reactivate")
                .then().statusCode(200).body("status", equalTo("active"));
        assertInstanceOf(KeyCheck.Accepted.class, authenticator.checkBlocking(key));
    }

    @Test
    void manageKeyRunsItsOwnTenantThroughBothPathFamilies() {
        String tenant = createTenant("self-service");
        String admin = issueKey(tenant, "admin", List.of("manage")).path("key");

        given().header("x-api-key", admin).get("/v1/tenant").then().statusCode(200)
                .body("id", equalTo(tenant)).body("name", equalTo("self-service"));
        Response viaV1 = given().header("Authorization", bearer(admin)).contentType(ContentType.JSON)
                .body("{\"name\":\"agent-1\"}").post("/v1/keys");
        viaV1.then().statusCode(201).body("tenantId", equalTo(tenant)).body("scopes", equalTo(List.of("llm")))
                .body("key", matchesPattern("sk-acc-[0-9A-Za-z]{43}"));
        Response viaAdmin = given().header("Authorization", bearer(admin)).contentType(ContentType.JSON)
                .body("{\"name\":\"agent-2\"}").post("/admin/v1/tenants/" + tenant + "/keys");
        viaAdmin.then().statusCode(201).body("tenantId", equalTo(tenant));

        given().header("Authorization", bearer(admin)).get("/v1/keys").then().statusCode(200)
                .body("data.name", equalTo(List.of("admin", "agent-1", "agent-2")));
        given().header("Authorization", bearer(admin)).delete("/v1/keys/" + viaV1.path("id")).then().statusCode(204);
        given().header("Authorization", bearer(admin)).delete("/admin/v1/keys/" + viaAdmin.path("id"))
                .then().statusCode(204);
        given().header("Authorization", bearer(admin)).get("/admin/v1/tenants/" + tenant + "/keys").then()
                .statusCode(200).body("data.status", equalTo(List.of("active", "revoked", "revoked")));

        // Operator-only calls stay closed to a tenant admin, even on its own tenant.
        given().header("Authorization", bearer(admin)).post("/admin/v1/tenants/" + tenant + "/suspend")
                .then().statusCode(403).body("error.message", containsString("operator"));
        given().header("Authorization", bearer(admin)).get("/admin/v1/tenants").then().statusCode(403);
        given().header("Authorization", bearer(admin)).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .post("/admin/v1/tenants").then().statusCode(403);
    }

    @Test
    void llmOnlyKeyIsRefusedOnManagementPaths() {
        String tenant = createTenant("llm-only");
        String key = issueKey(tenant, "agent", List.of("llm")).path("key");
        for (String path : List.of("/v1/tenant", "/v1/keys", "/admin/v1/tenants/" + tenant, "/v1/budgets")) {
            given().header("Authorization", bearer(key)).get(path).then().statusCode(403)
                    .body("error.type", equalTo("forbidden"))
                    .body("error.message", containsString("manage scope"));
        }
        given().header("x-api-key", key).contentType(ContentType.JSON).body("{\"name\":\"more\"}").post("/v1/keys")
                .then().statusCode(403).body("error.message", containsString("manage scope"));
    }

    @Test
    void operatorTokenMissingOrWrongGets401() {
        given().get("/admin/v1/tenants").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error.type", equalTo("unauthorized"))
                .body("error.message", containsString("Missing credentials"));
        given().header("Authorization", bearer(OPERATOR_TOKEN + "x")).get("/admin/v1/tenants").then().statusCode(401)
                .body("error.message", containsString("not the operator token"));
        given().header("Authorization", bearer("wrong")).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .post("/admin/v1/tenants").then().statusCode(401);
        given().header("Authorization", "Basic b3BlcmF0b3I6c2VjcmV0").get("/admin/v1/tenants").then().statusCode(401)
                .body("error.message", containsString("Unsupported Authorization scheme"));
        given().header("Authorization", bearer(KeyCodec.newKey())).get("/v1/tenant").then().statusCode(401)
                .body("error.type", equalTo("invalid_api_key"));
    }

    static Stream<Arguments> badTenantBodies() {
        return Stream.of(
                Arguments.of("{}", "name", "required"),
                Arguments.of("{\"name\":\"   \"}", "name", "blank"),
                Arguments.of("{\"name\":42}", "name", "string"),
                Arguments.of("{\"name\":\"" + "x".repeat(201) + "\"}", "name", "at most 200"),
                Arguments.of("{\"name\":\"a\",\"plan\":\"gold\"}", "plan", "Unknown field 'plan'"),
                Arguments.of("{\"name\":", null, "not valid JSON"),
                Arguments.of("[\"name\"]", null, "JSON object"),
                Arguments.of("", null, "empty"));
    }

    @ParameterizedTest
    @MethodSource("badTenantBodies")
    void badTenantBodiesGet400NamingTheField(String body, String field, String message) {
        given().header("Authorization", bearer(OPERATOR_TOKEN)).contentType(ContentType.JSON).body(body)
                .post("/admin/v1/tenants").then().statusCode(400)
                .body("error.type", equalTo("invalid_request"))
                .body("error.field", field == null ? nullValue() : equalTo(field))
                .body("error.message", containsString(message));
    }

    static Stream<Arguments> badKeyBodies() {
        String past = Instant.now().minusSeconds(60).toString();
        return Stream.of(
                Arguments.of("{}", "name", "required"),
                Arguments.of("{\"name\":\"\"}", "name", "blank"),
                Arguments.of("{\"name\":\"k\",\"models\":[]}", "models", "non-empty array"),
                Arguments.of("{\"name\":\"k\",\"models\":[\"gpt-4o\",\"\"]}", "models", "non-empty strings"),
                Arguments.of("{\"name\":\"k\",\"models\":[7]}", "models", "non-empty strings"),
                Arguments.of("{\"name\":\"k\",\"models\":\"gpt-4o\"}", "models", "array"),
                Arguments.of("{\"name\":\"k\",\"rpmLimit\":0}", "rpmLimit", "positive"),
                Arguments.of("{\"name\":\"k\",\"rpmLimit\":-5}", "rpmLimit", "positive"),
                Arguments.of("{\"name\":\"k\",\"rpmLimit\":1.5}", "rpmLimit", "whole number"),
                Arguments.of("{\"name\":\"k\",\"tpmLimit\":\"100\"}", "tpmLimit", "positive"),
                Arguments.of("{\"name\":\"k\",\"tpmLimit\":99999999999}", "tpmLimit", "at most"),
                Arguments.of("{\"name\":\"k\",\"expiresAt\":\"tomorrow\"}", "expiresAt", "ISO-8601"),
                Arguments.of("{\"name\":\"k\",\"expiresAt\":\"2030-01-01\"}", "expiresAt", "ISO-8601"),
                Arguments.of("{\"name\":\"k\",\"expiresAt\":\"" + past + "\"}", "expiresAt", "future"),
                Arguments.of("{\"name\":\"k\",\"scopes\":[\"admin\"]}", "scopes", "unknown scope"),
                Arguments.of("{\"name\":\"k\",\"scopes\":[]}", "scopes", "non-empty"),
                Arguments.of("{\"name\":\"k\",\"rpmlimit\":10}", "rpmlimit", "Unknown field 'rpmlimit'"));
    }

    @ParameterizedTest
    @MethodSource("badKeyBodies")
    void badKeyBodiesGet400NamingTheField(String body, String field, String message) {
        String tenant = createTenant("validation");
        given().header("Authorization", bearer(OPERATOR_TOKEN)).contentType(ContentType.JSON).body(body)
                .post("/admin/v1/tenants/" + tenant + "/keys").then().statusCode(400)
                .body("error.type", equalTo("invalid_request"))
                .body("error.field", equalTo(field))
                .body("error.message", containsString(message));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/admin/v1/tenants/" + tenant + "/keys")
                .then().body("data", hasSize(0));
    }

    @Test
    void listParametersAreValidated() {
        given().header("Authorization", bearer(OPERATOR_TOKEN)).queryParam("limit", 0).get("/admin/v1/tenants")
                .then().statusCode(400).body("error.field", equalTo("limit"));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).queryParam("offset", "x").get("/admin/v1/tenants")
                .then().statusCode(400).body("error.field", equalTo("offset"));
    }
}
