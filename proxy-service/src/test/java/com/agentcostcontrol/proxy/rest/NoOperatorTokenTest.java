package com.agentcostcontrol.proxy.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.testing.EdgeTestResources;
import com.agentcostcontrol.proxy.testing.SiblingServicesStub;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** With ACC_ADMIN_TOKEN unset there is no operator token at all: nothing falls back to a built-in one. */
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
            return Map.of("acc.proxy.admin-token", "");
        }
    }

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
}
