package com.agentcostcontrol.proxy.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.service.KeyCodec;
import com.agentcostcontrol.proxy.testing.EdgeTestResources;
import com.agentcostcontrol.proxy.testing.SiblingServicesStub;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * A bare deployment: ACC_ADMIN_TOKEN and ACC_OIDC_ISSUER unset. There is no operator token at all
 * (nothing falls back to a built-in one) and OIDC is off, while virtual keys keep working.
 */
@QuarkusTest
@TestProfile(NoOperatorTokenTest.Unset.class)
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SiblingServicesStub.class)
class NoOperatorTokenTest {

    public static class Unset implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("acc.proxy.admin-token", "", "quarkus.oidc.auth-server-url", "");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void operatorApiSaysNoOperatorTokenIsConfigured() {
        for (String token : new String[] { EdgeTestResources.OPERATOR_TOKEN, "", "changeme", "admin" }) {
            var request = given();
            if (!token.isEmpty()) {
                request.header("Authorization", "Bearer " + token);
            }
            request.get("/admin/v1/tenants").then().statusCode(401)
                    .body("error.type", equalTo("unauthorized"))
                    .body("error.message", containsString(token.isEmpty() ? "Missing credentials"
                            : "No operator token is configured"));
        }
        given().header("Authorization", "Bearer " + EdgeTestResources.OPERATOR_TOKEN).get("/admin/v1/deployments")
                .then().statusCode(401).body("error.message", containsString("No operator token is configured"));
    }

    @Test
    void oidcTokensAreRefusedWithAMessageSayingOidcIsOff() {
        String token = EdgeTestResources.oidcToken("olga", List.of("operator"), null);
        given().header("Authorization", "Bearer " + token).get("/admin/v1/tenants").then().statusCode(401)
                .body("error.message", containsString("OIDC sign-in is not configured"));
        given().header("Authorization", "Bearer " + token).get("/v1/budgets").then().statusCode(401)
                .body("error.message", containsString("OIDC sign-in is not configured"));
    }

    @Test
    void manageKeysStillWork() throws Exception {
        UUID tenant = UUID.randomUUID();
        String key = KeyCodec.newKey();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement q = c.prepareStatement("INSERT INTO tenants (id, name) VALUES (?, 'bare')")) {
                q.setObject(1, tenant);
                q.executeUpdate();
            }
            try (PreparedStatement q = c.prepareStatement("INSERT INTO virtual_keys (id, tenant_id, name, key_hash, "
                    + "prefix, scopes) VALUES (?, ?, 'admin', ?, ?, ARRAY['manage'])")) {
                q.setObject(1, UUID.randomUUID());
                q.setObject(2, tenant);
                q.setString(3, KeyCodec.hash(key));
                q.setString(4, KeyCodec.displayPrefix(key));
                q.executeUpdate();
            }
        }
        given().header("Authorization", "Bearer " + key).get("/v1/tenant").then().statusCode(200)
                .body("id", equalTo(tenant.toString()));
    }
}
