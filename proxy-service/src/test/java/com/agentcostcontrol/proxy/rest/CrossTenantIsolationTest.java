package com.agentcostcontrol.proxy.rest;

import static com.agentcostcontrol.proxy.testing.EdgeTestResources.OPERATOR_TOKEN;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.bearer;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.createTenant;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.issueKey;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.oidcToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.agentcostcontrol.proxy.KeyCheck;
import com.agentcostcontrol.proxy.service.KeyAuthenticator;
import com.agentcostcontrol.proxy.testing.SiblingServicesStub;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Tenant A's administrators (a manage key, and a person whose token names tenant A) try every
 * management endpoint against tenant B: each answers as if B did not exist (or refuses outright
 * where the call is operator-only), and B is untouched afterwards.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SiblingServicesStub.class)
class CrossTenantIsolationTest {

    /** Tenants A and B, B's key, and A's credentials; made once through the API. */
    record Fixture(String tenantA, String tenantB, String keyB, String keyBId, String manageKeyA, String oidcAdminA) {
    }

    private static Fixture fixture;

    @Inject
    KeyAuthenticator authenticator;

    static synchronized Fixture fixture() {
        if (fixture == null) {
            String a = createTenant("tenant-a");
            String b = createTenant("tenant-b");
            Response keyB = issueKey(b, "b-admin", List.of("llm", "manage"));
            String manageA = issueKey(a, "a-admin", List.of("manage")).path("key");
            fixture = new Fixture(a, b, keyB.path("key"), keyB.path("id"), manageA,
                    oidcToken("alice@a.example", List.of("tenant-admin"), a));
        }
        return fixture;
    }

    /** Every management endpoint aimed at tenant B, with what a stranger must get. */
    static Stream<Arguments> endpoints() {
        List<Arguments> out = new ArrayList<>();
        for (String actor : List.of("manage-key", "oidc-tenant-admin")) {
            out.add(Arguments.of(actor, "GET", "/admin/v1/tenants/{B}", null, 404));
            out.add(Arguments.of(actor, "POST", "/admin/v1/tenants/{B}/suspend", null, 404));
            out.add(Arguments.of(actor, "POST", "/admin/v1/tenants/{B}/reactivate", null, 404));
            out.add(Arguments.of(actor, "GET", "/admin/v1/tenants/{B}/keys", null, 404));
            out.add(Arguments.of(actor, "POST", "/admin/v1/tenants/{B}/keys", "{\"name\":\"intruder\",\"scopes\":[\"manage\"]}", 404));
            out.add(Arguments.of(actor, "DELETE", "/admin/v1/keys/{BKEY}", null, 404));
            out.add(Arguments.of(actor, "PATCH", "/admin/v1/keys/{BKEY}", "{\"maxConcurrent\":99}", 404));
            out.add(Arguments.of(actor, "GET", "/admin/v1/tenants/{B}/limits", null, 404));
            out.add(Arguments.of(actor, "PUT", "/admin/v1/tenants/{B}/limits", "{\"rpmLimit\":1}", 404));
            out.add(Arguments.of(actor, "DELETE", "/v1/keys/{BKEY}", null, 404));
            // Operator-only: refused whatever the target.
            out.add(Arguments.of(actor, "GET", "/admin/v1/tenants", null, 403));
            out.add(Arguments.of(actor, "POST", "/admin/v1/tenants", "{\"name\":\"x\"}", 403));
            out.add(Arguments.of(actor, "GET", "/admin/v1/budgets?tenant={B}", null, 403));
            out.add(Arguments.of(actor, "POST", "/admin/v1/deployments", "{\"name\":\"d\"}", 403));
            out.add(Arguments.of(actor, "PUT", "/admin/v1/routes/gpt-4o", "{\"deployments\":[\"d\"]}", 403));
            out.add(Arguments.of(actor, "GET", "/admin/v1/analytics/spend?tenant={B}", null, 403));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {4}")
    @MethodSource("endpoints")
    void tenantAdminOfACannotReadOrChangeTenantB(String actor, String method, String path, String body, int expected) {
        Fixture f = fixture();
        String resolved = path.replace("{B}", f.tenantB()).replace("{BKEY}", f.keyBId());
        RequestSpecification request = given().header("Authorization",
                bearer(actor.equals("manage-key") ? f.manageKeyA() : f.oidcAdminA()));
        if (body != null) {
            request.contentType(ContentType.JSON).body(body);
        }
        Response response = request.request(method, resolved);
        response.then().statusCode(expected).body("error.type", equalTo(expected == 404 ? "not_found" : "forbidden"));
        if (expected == 404) {
            // Exactly what a tenant that does not exist answers: B's existence is not revealed.
            String ghost = path.replace("{B}", UUID.randomUUID().toString())
                    .replace("{BKEY}", UUID.randomUUID().toString());
            RequestSpecification probe = given().header("Authorization",
                    bearer(actor.equals("manage-key") ? f.manageKeyA() : f.oidcAdminA()));
            if (body != null) {
                probe.contentType(ContentType.JSON).body(body);
            }
            assertEquals(probe.request(method, ghost).asString(), response.asString());
        }
    }

    @Test
    void ownTenantPathsNeverReachAnotherTenant() {
        Fixture f = fixture();
        given().header("Authorization", bearer(f.manageKeyA())).get("/v1/tenant").then().statusCode(200)
                .body("id", equalTo(f.tenantA()));
        given().header("Authorization", bearer(f.oidcAdminA())).get("/v1/keys").then().statusCode(200)
                .body("data.id", not(hasItem(f.keyBId())))
                .body("data.tenantId", not(hasItem(f.tenantB())));
        // Forwarded tenant paths carry A's identity whatever the query asks for; the owner enforces it.
        SiblingServicesStub.wireMock().stubFor(WireMock.get(WireMock.urlPathEqualTo("/budget-service/v1/budgets"))
                .willReturn(WireMock.okJson("{\"data\":[]}")));
        given().header("Authorization", bearer(f.manageKeyA())).queryParam("tenant", f.tenantB()).get("/v1/budgets")
                .then().statusCode(200);
        String signed = SiblingServicesStub.wireMock().getAllServeEvents().get(0).getRequest()
                .getHeader("X-ACC-Identity");
        assertNotNull(signed);
        assertEquals(f.tenantA(), ForwardingTest.verify(signed).tenantId());
    }

    @AfterEach
    void tenantBIsUntouched() {
        Fixture f = fixture();
        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/admin/v1/tenants/" + f.tenantB()).then()
                .statusCode(200).body("status", equalTo("active"));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/admin/v1/tenants/" + f.tenantB() + "/keys")
                .then().statusCode(200).body("data.name", equalTo(List.of("b-admin")))
                .body("data[0].status", equalTo("active"));
        assertInstanceOf(KeyCheck.Accepted.class, authenticator.checkBlocking(f.keyB()));
        SiblingServicesStub.wireMock().resetAll();
    }
}
