package com.agentcostcontrol.proxy.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.llm.routing.ProxyRouting;
import com.agentcostcontrol.proxy.llm.security.SecurityPolicies;
import com.agentcostcontrol.security.core.Policy;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Prompt and answer scanning through the real proxy: block, redact, flag, envelopes, usage events, nothing charged. */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class SecurityScanTest {

    /** AWS's documented example key id: a well-formed access key id that is not a real credential. */
    static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String OPENAI_KEY = "sk-proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9o";

    static WireMockServer upstream;
    static boolean seeded;

    @Inject
    DataSource dataSource;
    @Inject
    RedisDataSource redis;
    @Inject
    ProxyRouting routing;
    @Inject
    SecurityPolicies policies;

    LlmTestData.Issued key;

    static String answer(String content) {
        return "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"total_tokens\":120}}";
    }

    @BeforeAll
    static void start() {
        upstream = new WireMockServer(options().dynamicPort());
        upstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.stop();
    }

    @BeforeEach
    void setUp() {
        LlmTestData data = new LlmTestData(dataSource);
        key = data.key();
        upstream.resetAll();
        upstream.stubFor(post(urlEqualTo("/sec/v1/chat/completions")).willReturn(aResponse()
                .withHeader("content-type", "application/json").withBody(answer("Hello from upstream."))));
        if (!seeded) {
            data.deployment("sec-openai", "openai", "gpt-4o-mini", "http://localhost:" + upstream.port() + "/sec/v1", "sk-up");
            data.route("sec-gpt", List.of("sec-openai"), List.of());
            seeded = true;
        }
        assertTrue(routing.reload());
    }

    private void policy(String promptSecrets, String responseSecrets) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO security_policies (tenant_id, prompt_secrets, prompt_pii, prompt_injection, response_secrets,"
                        + " response_pii, response_injection) VALUES (?, ?, 'flag', 'flag', ?, 'flag', 'flag')")) {
            q.setObject(1, key.tenantId());
            q.setString(2, promptSecrets);
            q.setString(3, responseSecrets);
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(policies.reload());
    }

    private Response chat(String model, String userText) {
        return given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                        + "{\"role\":\"user\",\"content\":\"" + userText + "\"}]}")
                .post("/v1/chat/completions");
    }

    private Map<String, String> event(Response r) {
        return UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
    }

    @Test
    void awsKeyInPromptIsBlockedInTheOpenAiEnvelopeNamingTheDetectorAndNothingIsCharged() {
        Response r = chat("mock-small", "deploy with " + AWS_KEY + " please");
        r.then().statusCode(400);
        assertEquals("invalid_request_error", r.path("error.type"));
        assertEquals("security_policy_violation", r.path("error.code"));
        String message = r.path("error.message");
        assertTrue(message.contains("detector aws-access-key (secrets) found in messages[1].content"), message);
        assertFalse(r.asString().contains(AWS_KEY), "the answer must never echo the secret");
        assertFalse(r.asString().contains("AKIAIOSF"), "not even a prefix beyond the detector name");

        Map<String, String> e = event(r);
        assertEquals("refused", e.get("status"));
        assertEquals("400", e.get("http_status"));
        assertEquals("security_policy_violation", e.get("error_code"));
        assertEquals("block", e.get("security_action"));
        assertEquals("prompt:aws-access-key", e.get("security_detectors"));
        assertEquals("", e.get("served_model"), "nothing was sent upstream");
        assertEquals("0", e.get("input_tokens"));
        assertTrue(e.get("cost_micros").isEmpty() || "0".equals(e.get("cost_micros")), "nothing charged: " + e);
        assertFalse(e.toString().contains(AWS_KEY));
    }

    @Test
    void secretInAnthropicSystemIsBlockedInTheAnthropicEnvelope() {
        Response r = given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"mock-small\",\"max_tokens\":50,\"system\":[{\"type\":\"text\",\"text\":\"use "
                        + OPENAI_KEY + "\"}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/messages");
        r.then().statusCode(400);
        assertEquals("error", r.path("type"));
        assertEquals("invalid_request_error", r.path("error.type"));
        String message = r.path("error.message");
        assertTrue(message.contains("detector openai-api-key (secrets) found in system[0].text"), message);
        assertFalse(r.asString().contains(OPENAI_KEY));
        assertEquals("block", event(r).get("security_action"));
    }

    @Test
    void redactPolicySendsTheRedactedPromptUpstream() {
        policy("redact", "block");
        Response r = chat("sec-gpt", "my key is " + AWS_KEY + " ok");
        r.then().statusCode(200);
        assertEquals("Hello from upstream.", r.path("choices[0].message.content"));
        String sent = upstream.findAll(postRequestedFor(urlEqualTo("/sec/v1/chat/completions"))).get(0).getBodyAsString();
        assertTrue(sent.contains("my key is [REDACTED:aws-access-key] ok"), sent);
        assertFalse(sent.contains(AWS_KEY));
        Map<String, String> e = event(r);
        assertEquals("ok", e.get("status"));
        assertEquals("redact", e.get("security_action"));
        assertEquals("prompt:aws-access-key", e.get("security_detectors"));
    }

    @Test
    void flaggedPiiGoesThroughAndIsRecorded() {
        Response r = chat("mock-small", "write to bob@example.com about the invoice");
        r.then().statusCode(200);
        Map<String, String> e = event(r);
        assertEquals("ok", e.get("status"));
        assertEquals("flag", e.get("security_action"));
        assertEquals("prompt:email", e.get("security_detectors"));
        assertNotEquals("", e.get("cost_micros"), "a flagged call is an ordinary, charged call");
    }

    @Test
    void cleanPromptHasNoVerdict() {
        Response r = chat("mock-small", "Say hello to the gateway");
        r.then().statusCode(200);
        Map<String, String> e = event(r);
        assertEquals("", e.get("security_action"));
        assertEquals("", e.get("security_detectors"));
    }

    @Test
    void answerWithASecretIsRedactedOrBlockedPerResponsePolicy() {
        upstream.stubFor(post(urlEqualTo("/sec/v1/chat/completions")).willReturn(aResponse()
                .withHeader("content-type", "application/json").withBody(answer("Use " + AWS_KEY + " for that."))));
        policy("block", "redact");
        Response redacted = chat("sec-gpt", "which key?");
        redacted.then().statusCode(200);
        assertEquals("Use [REDACTED:aws-access-key] for that.", redacted.path("choices[0].message.content"));
        assertEquals("response:aws-access-key", event(redacted).get("security_detectors"));

        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "UPDATE security_policies SET response_secrets = 'block' WHERE tenant_id = ?")) {
            q.setObject(1, key.tenantId());
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(policies.reload());
        Response blocked = chat("sec-gpt", "which key?");
        blocked.then().statusCode(400);
        assertEquals("security_policy_violation", blocked.path("error.code"));
        assertTrue(((String) blocked.path("error.message")).contains("answer was blocked by security policy: detector"
                + " aws-access-key (secrets) found in choices[0].message.content"));
        assertFalse(blocked.asString().contains(AWS_KEY));
        Map<String, String> e = event(blocked);
        assertEquals("block", e.get("security_action"));
        assertEquals("100", e.get("input_tokens"), "the provider's tokens are counted");
        assertNotEquals("", e.get("cost_micros"), "and charged: the provider billed them");
    }

    @Test
    void policyChangeReachesTheSnapshotThroughPubSub() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO security_policies (tenant_id, prompt_secrets, prompt_pii, prompt_injection, response_secrets,"
                        + " response_pii, response_injection) VALUES (?, 'off', 'off', 'off', 'off', 'off', 'off')")) {
            q.setObject(1, key.tenantId());
            q.executeUpdate();
        }
        redis.pubsub(String.class).publish(SecurityPolicies.CHANNEL, "{\"tenantId\":\"" + key.tenantId() + "\"}");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (policies.forTenant(key.tenantId()) == Policy.DEFAULT && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertNotEquals(Policy.DEFAULT, policies.forTenant(key.tenantId()));
        // secrets=off: the key now goes through unscanned.
        chat("mock-small", "deploy with " + AWS_KEY).then().statusCode(200);
        assertEquals(Policy.DEFAULT, policies.forTenant(UUID.randomUUID()), "other tenants keep the default");
    }

    @Test
    void bigPromptIsScannedOffTheEventLoopAndStillBlocked() {
        String filler = "The quarterly report covers revenue, costs and the budget for each team. ".repeat(2800);
        long t0 = System.nanoTime();
        Response r = chat("mock-small", filler + AWS_KEY);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        r.then().statusCode(400);
        assertTrue(((String) r.path("error.message")).contains("aws-access-key"));
        System.out.printf("security: %d KB prompt blocked in %d ms end to end%n", filler.length() / 1024, ms);
        String metrics = given().get("/q/metrics").asString();
        metrics.lines().filter(l -> l.startsWith("acc_security_scan_seconds_")).forEach(l -> System.out.println("security: " + l));
        assertTrue(metrics.contains("acc_security_scan_seconds_count{direction=\"prompt\",offloaded=\"true\"}"), "offloaded");
        assertTrue(metrics.contains("acc_security_findings_total{action=\"block\",category=\"secrets\",detector=\"aws-access-key\","
                + "direction=\"prompt\"}"), "findings metric");
    }
}
