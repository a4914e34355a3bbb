package com.agentcostcontrol.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.platform.identity.CallerIdentity;

/**
 * The guard every control-plane service puts on its REST API, checked through the service's
 * {@code GET /v1/<area>/whoami}: no identity, a forged one or an expired one get 401 in the
 * management error envelope; a valid one is echoed back. A module's test is a
 * {@code @QuarkusTest} subclass naming its path.
 */
public abstract class AbstractWhoamiTest {

    /** e.g. {@code /v1/budgets/whoami}. */
    protected abstract String whoamiPath();

    @Test
    void withoutIdentityIsUnauthorized() {
        given().get(whoamiPath()).then().statusCode(401)
                .body("error.type", equalTo("unauthorized"))
                .body("error.message", containsString("missing " + TestIdentities.header()));
    }

    @Test
    void forgedIdentityIsUnauthorized() {
        given().header(TestIdentities.header(), TestIdentities.forged(CallerIdentity.operator("mallory")))
                .get(whoamiPath()).then().statusCode(401)
                .body("error.type", equalTo("unauthorized"))
                .body("error.message", containsString("forged"));
    }

    @Test
    void expiredIdentityIsUnauthorized() {
        given().header(TestIdentities.header(), TestIdentities.expired(CallerIdentity.operator("operator")))
                .get(whoamiPath()).then().statusCode(401)
                .body("error.type", equalTo("unauthorized"))
                .body("error.message", containsString("expired"));
    }

    @Test
    void tamperedIdentityIsUnauthorized() {
        String valid = TestIdentities.tenantViewer(UUID.randomUUID().toString());
        String[] parts = valid.split("\\.");
        // Same signature, payload of someone else: must not verify.
        String other = TestIdentities.operator().split("\\.")[1];
        given().header(TestIdentities.header(), parts[0] + "." + other + "." + parts[2])
                .get(whoamiPath()).then().statusCode(401)
                .body("error.type", equalTo("unauthorized"));
    }

    @Test
    void validIdentityIsEchoed() {
        String tenant = UUID.randomUUID().toString();
        given().header(TestIdentities.header(), TestIdentities.manageKey(tenant, "key-123"))
                .get(whoamiPath()).then().statusCode(200)
                .body("kind", equalTo("key"))
                .body("subject", equalTo("key-123"))
                .body("tenantId", equalTo(tenant))
                .body("roles", containsInAnyOrder("tenant-admin"))
                .body("scopes", containsInAnyOrder("llm", "manage"));

        given().header(TestIdentities.header(), TestIdentities.operator())
                .get(whoamiPath()).then().statusCode(200)
                .body("kind", equalTo("operator"))
                .body("subject", equalTo("test-operator"))
                .body("tenantId", nullValue())
                .body("roles", containsInAnyOrder("operator"))
                .body("scopes", empty());
    }
}
