package com.agentcostcontrol.proxy.rest;

import static com.agentcostcontrol.proxy.testing.EdgeTestResources.OPERATOR_TOKEN;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.bearer;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.createTenant;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.issueKey;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.oidcToken;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.IdentityCodec;
import com.agentcostcontrol.proxy.testing.EdgeTestResources;
import com.agentcostcontrol.proxy.testing.SiblingServicesStub;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Management paths owned by sibling services: routing, signed identity, streaming, failures. WireMock plays the siblings. */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SiblingServicesStub.class)
class ForwardingTest {

    /** {@code %test.acc.internal.secret}: the siblings' side of the signature. */
    private static final IdentityCodec SIBLING_CODEC = new IdentityCodec("test-internal-secret-0123456789abcdef");

    static CallerIdentity verify(String header) {
        return SIBLING_CODEC.verify(header);
    }

    private static WireMockServer owners() {
        return SiblingServicesStub.wireMock();
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> all = owners().findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl()));
        assertEquals(1, all.size(), "requests the owners received");
        return all.get(0);
    }

    @AfterEach
    void resetOwners() {
        owners().resetAll();
    }

    @Test
    void tenantCallIsForwardedWithASignedIdentityAndWithoutTheClientsCredentials() {
        String tenant = createTenant("forwarding");
        Response key = issueKey(tenant, "admin", List.of("llm", "manage"));
        owners().stubFor(post(urlPathEqualTo("/budget-service/v1/budgets")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withHeader("X-Owner", "budget")
                .withBody("{\"id\":\"b-1\",\"limitUsd\":\"10.00\"}")));

        String body = "{\"scope\":{\"type\":\"tenant\"},\"period\":\"monthly\",\"limitUsd\":\"10.00\",\"mode\":\"hard\"}";
        given().header("Authorization", bearer(key.path("key")))
                .header("X-ACC-Identity", "v1.eyJraW5kIjoiT1BFUkFUT1IifQ.forged")
                .header("Cookie", "session=abc")
                .header("X-Request-Note", "kept")
                .contentType(ContentType.JSON).body(body)
                .queryParam("dryRun", "false").queryParam("note", "a b")
                .post("/v1/budgets")
                .then().statusCode(201)
                .header("X-Owner", "budget")
                .body("id", equalTo("b-1")).body("limitUsd", equalTo("10.00"));

        LoggedRequest received = onlyRequest();
        assertEquals("/budget-service/v1/budgets?dryRun=false&note=a%20b", received.getUrl());
        assertEquals(body, received.getBodyAsString());
        assertTrue(received.getHeader("Content-Type").startsWith("application/json"));
        assertEquals("kept", received.getHeader("X-Request-Note"));
        assertFalse(received.containsHeader("Authorization"), "Authorization must not reach the owner");
        assertFalse(received.containsHeader("x-api-key"));
        assertFalse(received.containsHeader("Cookie"));
        assertEquals(1, received.getHeaders().getHeader("X-ACC-Identity").values().size(),
                "the client's X-ACC-Identity is replaced, not added to");
        CallerIdentity caller = verify(received.getHeader("X-ACC-Identity"));
        assertEquals(CallerIdentity.Kind.KEY, caller.kind());
        assertEquals(key.path("id"), caller.subject());
        assertEquals(tenant, caller.tenantId());
        assertEquals(Set.of("tenant-admin"), caller.roles());
        assertEquals(Set.of("llm", "manage"), caller.scopes());
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET, /v1/budgets/b-1/status, budget-service",
            "GET, /v1/analytics/spend?groupBy=model&from=2026-01-01, analytics-service",
            "GET, /v1/billing/subscription, billing-service",
            "POST, /v1/security/scan, security-service",
            "GET, /v1/routing/routes, router-service",
            "GET, /v1/fleet/accounts, gateway-adapter",
            "POST, /admin/v1/deployments, router-service",
            "PUT, /admin/v1/routes/gpt-4o, router-service",
            "GET, /admin/v1/routing/health, router-service",
            "GET, /admin/v1/budgets/overview, budget-service",
            "GET, /admin/v1/analytics/spend, analytics-service",
            "POST, /admin/v1/billing/plans, billing-service",
            "GET, /admin/v1/security/events, security-service",
            "GET, /admin/v1/fleet/snapshot, gateway-adapter" })
    void everyPathFamilyReachesItsOwnerAsTheOperator(String method, String path, String owner) {
        owners().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from-owner")));
        var request = given().header("Authorization", bearer(OPERATOR_TOKEN));
        if (!method.equals("GET")) {
            request.contentType(ContentType.JSON).body("{}");
        }
        request.request(method, path).then().statusCode(200).body(equalTo("from-owner"));

        LoggedRequest received = onlyRequest();
        assertEquals("/" + owner + path, received.getUrl());
        assertEquals(method, received.getMethod().getName());
        CallerIdentity caller = verify(received.getHeader("X-ACC-Identity"));
        assertEquals(CallerIdentity.Kind.OPERATOR, caller.kind());
        assertTrue(caller.isOperator());
        assertNull(caller.tenantId());
    }

    @Test
    void oidcViewerIsForwardedWithItsRoleAndTenant() {
        String tenant = createTenant("viewer-forwarding");
        owners().stubFor(get(urlPathEqualTo("/analytics-service/v1/analytics/spend"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"rows\":[]}")));
        given().header("Authorization", bearer(oidcToken("vera", List.of("tenant-viewer", "unrelated"), tenant)))
                .queryParam("groupBy", "day").get("/v1/analytics/spend")
                .then().statusCode(200).body("rows.size()", equalTo(0));
        CallerIdentity caller = verify(onlyRequest().getHeader("X-ACC-Identity"));
        assertEquals(CallerIdentity.Kind.USER, caller.kind());
        assertEquals("vera", caller.subject());
        assertEquals(tenant, caller.tenantId());
        assertEquals(Set.of("tenant-viewer"), caller.roles());
    }

    @Test
    void ownersStatusCodesBodiesAndHeadersComeBackUnchanged() {
        owners().stubFor(get(urlEqualTo("/budget-service/v1/budgets/missing/status")).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json").withHeader("Retry-After", "7")
                .withBody("{\"error\":{\"type\":\"not_found\",\"message\":\"budget missing not found\"}}")));
        owners().stubFor(post(urlEqualTo("/budget-service/v1/budgets")).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"type\":\"conflict\",\"message\":\"exists\"}}")));
        owners().stubFor(any(urlEqualTo("/router-service/admin/v1/routes/old")).willReturn(aResponse().withStatus(204)));

        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/v1/budgets/missing/status")
                .then().statusCode(404).header("Retry-After", "7")
                .body("error.message", equalTo("budget missing not found"));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).contentType(ContentType.JSON).body("{}")
                .post("/v1/budgets").then().statusCode(409).body("error.type", equalTo("conflict"));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).delete("/admin/v1/routes/old")
                .then().statusCode(204);

        // HTTP metrics name the path family, not each id, so their tags stay bounded.
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("uri=\"/v1/budgets/{path}\""), "templated uri tag");
        assertFalse(metrics.contains("missing/status"), "raw ids must not become tags");
    }

    @Test
    void expectContinueIsAnsweredAtTheEdgeAndNotForwarded() {
        owners().stubFor(post(urlEqualTo("/security-service/v1/security/scan"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"verdict\":\"clean\"}")));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).header("Expect", "100-continue")
                .contentType(ContentType.JSON).body("{\"text\":\"hello\"}").post("/v1/security/scan")
                .then().statusCode(200).body("verdict", equalTo("clean"));
        LoggedRequest received = onlyRequest();
        assertFalse(received.containsHeader("Expect"));
        assertEquals("{\"text\":\"hello\"}", received.getBodyAsString());
    }

    @Test
    void authenticationIsNotProactive() {
        // A bad credential on a path that asks for no identity is never even looked at:
        // the LLM paths check keys themselves and must not pay for management authentication.
        given().header("Authorization", bearer("garbage.token.value")).get("/q/health/live").then().statusCode(200);
        given().header("Authorization", bearer(EdgeTestResources.OPERATOR_TOKEN + "-wrong")).get("/q/health/live")
                .then().statusCode(200);
    }

    @Test
    void largeBodiesStreamThroughIntactBothWays() {
        byte[] upload = new byte[3 * 1024 * 1024];
        byte[] download = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(upload);
        new Random(11).nextBytes(download);
        owners().stubFor(post(urlEqualTo("/analytics-service/v1/analytics/imports")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/octet-stream").withBody(download)));

        byte[] answer = given().header("Authorization", bearer(OPERATOR_TOKEN))
                .contentType("application/octet-stream").body(upload)
                .post("/v1/analytics/imports").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(download, answer);
        assertArrayEquals(upload, onlyRequest().getBody());
    }

    @Test
    void stripeWebhookIsForwardedUnauthenticatedAndByteForByte() {
        owners().stubFor(post(urlEqualTo("/billing-service/v1/billing/webhooks/stripe"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"received\":true}")));
        // Odd spacing, escapes and non-ASCII: any re-serialisation would break Stripe's signature.
        byte[] payload = "{\n  \"id\": \"evt_1\",\t\"type\":\"invoice.paid\" ,\"data\":{\"name\":\"Zoë \\u00e9\"}}\n"
                .getBytes(StandardCharsets.UTF_8);
        String signature = "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd";

        given().header("Stripe-Signature", signature)
                .header("X-ACC-Identity", "v1.e30.forged")
                .contentType("application/json; charset=utf-8").body(payload)
                .post("/v1/billing/webhooks/stripe")
                .then().statusCode(200).body("received", equalTo(true));

        LoggedRequest received = onlyRequest();
        assertArrayEquals(payload, received.getBody());
        assertEquals(signature, received.getHeader("Stripe-Signature"));
        assertFalse(received.containsHeader("X-ACC-Identity"), "no identity may be claimed on the public webhook");
    }

    @Test
    void forwardedPathsNeedCredentialsAndTheRightRole() {
        owners().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        given().get("/v1/budgets").then().statusCode(401).body("error.type", equalTo("unauthorized"));
        given().header("Authorization", bearer("not-the-token")).get("/admin/v1/deployments").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error.message", containsString("not the operator token"));
        String tenant = createTenant("forward-roles");
        String llmKey = issueKey(tenant, "agent", List.of("llm")).path("key");
        given().header("Authorization", bearer(llmKey)).get("/v1/analytics/spend").then().statusCode(403)
                .body("error.message", containsString("manage scope"));
        given().header("Authorization", bearer(oidcToken("nobody", List.of("user"), tenant)))
                .get("/v1/analytics/spend").then().statusCode(403)
                .body("error.message", containsString("none of the roles"));
        given().header("Authorization", bearer(oidcToken("vera", List.of("tenant-viewer"), tenant)))
                .get("/admin/v1/fleet/snapshot").then().statusCode(403)
                .body("error.message", containsString("operator"));
        // A stub that would answer 200 was never called.
        assertEquals(0, owners().getAllServeEvents().size());
    }

    @Test
    void ownerDownAnswers503NamingIt() {
        SiblingServicesStub.whileDown(() -> given().header("Authorization", bearer(OPERATOR_TOKEN))
                .contentType(ContentType.JSON).body("{\"limitUsd\":\"1.00\"}").post("/v1/budgets")
                .then().statusCode(503)
                .header("Retry-After", "5")
                .body("error.type", equalTo("service_unavailable"))
                .body("error.message", matchesPattern(
                        "budget-service is unavailable: (connection refused|connection closed before it answered); retry in 5 s")));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("acc_proxy_forward_failures_total")
                && l.contains("owner=\"budget-service\"")), "forward failure metric");
    }

    @Test
    void ownerThatDoesNotAnswerInTimeAnswers503() {
        owners().stubFor(get(urlEqualTo("/gateway-adapter/v1/fleet/accounts"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(4000)));
        long start = System.nanoTime();
        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/v1/fleet/accounts")
                .then().statusCode(503)
                .header("Retry-After", "5")
                .body("error.message", equalTo("gateway-adapter is unavailable: no answer within 1500 ms; retry in 5 s"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 3900, "answered after " + tookMs + " ms");
        assertNotEquals(0, owners().getAllServeEvents().size());
    }
}
