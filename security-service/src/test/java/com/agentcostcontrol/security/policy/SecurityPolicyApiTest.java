package com.agentcostcontrol.security.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.testing.AccTestEnvironment;
import com.agentcostcontrol.testing.TestIdentities;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_security"), @ResourceArg(name = "redisDb", value = "4") })
class SecurityPolicyApiTest {

    private static final String POLICY = "/v1/security/policy";

    @Inject
    DataSource dataSource;

    @Inject
    ReactiveRedisDataSource redis;

    String tenantA;
    String tenantB;

    @BeforeEach
    void tenants() {
        tenantA = tenant("a");
        tenantB = tenant("b");
    }

    private String tenant(String name) {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO tenants (id, name) VALUES (?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id.toString();
    }

    private static RequestSpecification as(String header) {
        return given().header(TestIdentities.header(), header).contentType("application/json");
    }

    @Test
    void aTenantWithoutPolicyGetsTheDefault() {
        as(TestIdentities.tenantViewer(tenantA)).get(POLICY).then().statusCode(200)
                .body("tenantId", equalTo(tenantA)).body("source", equalTo("default"))
                .body("prompt.secrets", equalTo("block")).body("prompt.pii", equalTo("flag"))
                .body("prompt.injection", equalTo("flag")).body("response.secrets", equalTo("block"))
                .body("response.pii", equalTo("flag")).body("response.injection", equalTo("flag"))
                .body("updatedAt", nullValue());
    }

    @Test
    void putStoresReplacesAndDeleteResets() throws Exception {
        as(TestIdentities.tenantAdmin(tenantA)).body("{\"prompt\":{\"secrets\":\"redact\",\"pii\":\"off\"},"
                + "\"response\":{\"injection\":\"block\"}}").put(POLICY).then().statusCode(200)
                .body("source", equalTo("tenant")).body("prompt.secrets", equalTo("redact"))
                .body("prompt.pii", equalTo("off")).body("prompt.injection", equalTo("flag"))
                .body("response.injection", equalTo("block")).body("response.secrets", equalTo("block"))
                .body("updatedBy", equalTo("admin-of-" + tenantA)).body("updatedAt", notNullValue());
        assertEquals("redact|off|flag|block|flag|block", row(tenantA));

        as(TestIdentities.tenantViewer(tenantA)).get(POLICY).then().statusCode(200)
                .body("source", equalTo("tenant")).body("prompt.secrets", equalTo("redact"));

        // PUT replaces the whole policy: what is left out goes back to the default.
        as(TestIdentities.tenantAdmin(tenantA)).body("{\"prompt\":{\"pii\":\"block\"}}").put(POLICY).then()
                .statusCode(200).body("prompt.secrets", equalTo("block")).body("prompt.pii", equalTo("block"))
                .body("response.injection", equalTo("flag"));
        assertEquals("block|block|flag|block|flag|flag", row(tenantA));

        as(TestIdentities.tenantAdmin(tenantA)).delete(POLICY).then().statusCode(200).body("source", equalTo("default"));
        assertEquals(null, row(tenantA));
    }

    @Test
    void validationNamesTheFieldAndTheAllowedValues() {
        as(TestIdentities.tenantAdmin(tenantA)).body("{\"prompt\":{\"secrets\":\"deny\"}}").put(POLICY).then()
                .statusCode(400).body(containsString("prompt.secrets must be one of block, redact, flag, off"));
        as(TestIdentities.tenantAdmin(tenantA)).body("{\"prompt\":{\"malware\":\"block\"}}").put(POLICY).then()
                .statusCode(400).body(containsString("unknown category 'malware' in prompt; categories are secrets, pii,"
                        + " injection"));
        as(TestIdentities.tenantAdmin(tenantA)).body("{\"prompts\":{}}").put(POLICY).then().statusCode(400)
                .body(containsString("unknown field 'prompts'"));
        as(TestIdentities.tenantAdmin(tenantA)).body("{\"prompt\":\"block\"}").put(POLICY).then().statusCode(400)
                .body(containsString("prompt must be an object"));
        as(TestIdentities.tenantAdmin(tenantA)).body("[1]").put(POLICY).then().statusCode(400)
                .body(containsString("send a JSON object"));
        as(TestIdentities.tenantAdmin(tenantA)).body("{\"prompt\":{\"pii\":1}}").put(POLICY).then().statusCode(400)
                .body(containsString("prompt.pii must be one of"));
        as(TestIdentities.operator()).get(POLICY + "?tenantId=nope").then().statusCode(400)
                .body(containsString("tenantId must be a tenant id"));
        as(TestIdentities.operator()).get(POLICY).then().statusCode(400).body(containsString("?tenantId="));
        assertEquals(null, row(tenantA));
    }

    /** docs/IDENTITY.md: another tenant's id in {@code ?tenantId=} answers exactly what a nonexistent tenant's does. */
    @Test
    void anotherTenantsIdAnswersExactlyAsANonexistentOne() {
        String ghost = UUID.randomUUID().toString();
        for (String method : new String[] { "GET", "PUT", "DELETE" }) {
            assertSameAsNonexistent(method, POLICY, "{}", tenantA, ghost);
        }
        assertSameAsNonexistent("POST", "/v1/security/scan", "{\"text\":\"hello\"}", tenantA, ghost);
        assertEquals(null, row(tenantA), "A's policy is untouched");
    }

    private void assertSameAsNonexistent(String method, String path, String body, String theirs, String ghost) {
        io.restassured.response.Response other = as(TestIdentities.tenantAdmin(tenantB)).body(body)
                .request(method, path + "?tenantId=" + theirs);
        io.restassured.response.Response none = as(TestIdentities.tenantAdmin(tenantB)).body(body)
                .request(method, path + "?tenantId=" + ghost);
        other.then().statusCode(404).body("error.type", equalTo("not_found"));
        assertEquals(none.statusCode(), other.statusCode(), method + " " + path);
        assertEquals(none.asString(), other.asString(), method + " " + path);
    }

    @Test
    void tenantsAreIsolatedAndViewersCannotWrite() {
        as(TestIdentities.tenantAdmin(tenantA)).body("{\"prompt\":{\"secrets\":\"flag\"}}").put(POLICY).then()
                .statusCode(200);
        // B sees its own (default) policy, cannot read or change A's.
        as(TestIdentities.tenantAdmin(tenantB)).get(POLICY).then().statusCode(200)
                .body("tenantId", equalTo(tenantB)).body("prompt.secrets", equalTo("block"));
        as(TestIdentities.tenantAdmin(tenantB)).get(POLICY + "?tenantId=" + tenantA).then().statusCode(404);
        as(TestIdentities.tenantAdmin(tenantB)).body("{}").put(POLICY + "?tenantId=" + tenantA).then().statusCode(404);
        as(TestIdentities.tenantViewer(tenantA)).body("{}").put(POLICY).then().statusCode(403);
        assertEquals("flag|flag|flag|block|flag|flag", row(tenantA));
        // Operators act for any tenant by naming it; an unknown tenant is a 404.
        as(TestIdentities.operator()).get(POLICY + "?tenantId=" + tenantA).then().statusCode(200)
                .body("prompt.secrets", equalTo("flag"));
        as(TestIdentities.operator()).body("{}").put(POLICY + "?tenantId=" + UUID.randomUUID()).then().statusCode(404);
        given().get(POLICY).then().statusCode(401);
    }

    @Test
    void aChangeIsPublishedForTheProxies() throws Exception {
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        var subscription = redis.pubsub(String.class).subscribe(PolicyService.CHANNEL).subscribe().with(messages::add);
        try {
            Thread.sleep(300); // let SUBSCRIBE reach Redis before the change
            as(TestIdentities.tenantAdmin(tenantA)).body("{\"response\":{\"pii\":\"redact\"}}").put(POLICY).then()
                    .statusCode(200);
            String message = messages.poll(5, TimeUnit.SECONDS);
            assertNotNull(message, "no message on " + PolicyService.CHANNEL);
            assertTrue(message.contains("\"tenantId\":\"" + tenantA + "\""), message);
            assertTrue(message.contains("\"action\":\"updated\""), message);
        } finally {
            subscription.cancel();
        }
    }

    @Test
    void scanDryRunUsesThePolicyAndNeverEchoesTheSecret() {
        String key = "AKIAIOSFODNN7EXAMPLE";
        as(TestIdentities.tenantAdmin(tenantA)).body("{\"prompt\":{\"secrets\":\"redact\"}}").put(POLICY).then()
                .statusCode(200);
        String body = as(TestIdentities.tenantViewer(tenantA))
                .body("{\"text\":\"my key " + key + " and mail bob@example.com\"}").post("/v1/security/scan").then()
                .statusCode(200).body("verdict", equalTo("redact"))
                .body("findings[0].detector", equalTo("aws-access-key")).body("findings[0].action", equalTo("redact"))
                .body("findings[0].preview", equalTo("AKIA…(20 chars)"))
                .body("findings[1].detector", equalTo("email")).body("findings[1].action", equalTo("flag"))
                .body("redacted", equalTo("my key [REDACTED:aws-access-key] and mail bob@example.com"))
                .extract().asString();
        assertTrue(!body.contains(key));
        as(TestIdentities.tenantViewer(tenantA)).body("{\"text\":\"x\",\"direction\":\"sideways\"}")
                .post("/v1/security/scan").then().statusCode(400).body(containsString("direction must be prompt or response"));
        as(TestIdentities.tenantViewer(tenantA)).body("{\"text\":\"hello\"}").post("/v1/security/scan").then()
                .statusCode(200).body("verdict", equalTo("clean")).body("findings.size()", equalTo(0))
                .body(not(containsString("REDACTED")));
    }

    private String row(String tenant) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT prompt_secrets, prompt_pii, prompt_injection, response_secrets, response_pii, response_injection"
                        + " FROM security_policies WHERE tenant_id = ?")) {
            ps.setObject(1, UUID.fromString(tenant));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return String.join("|", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

}
