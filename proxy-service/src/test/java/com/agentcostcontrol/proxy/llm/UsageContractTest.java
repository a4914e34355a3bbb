package com.agentcostcontrol.proxy.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.llm.budget.BudgetRedis;
import com.agentcostcontrol.proxy.llm.budget.BudgetSnapshot;
import com.agentcostcontrol.proxy.llm.routing.ProxyRouting;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.agentcostcontrol.testing.UsageContract;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Producer side of the usage-event contract (docs/USAGE-EVENTS.md, "Changing the event"): real calls through the
 * proxy (built-in mock provider, a WireMock upstream for row deployments), each event read back from {@code acc:usage}
 * and compared with its golden file in {@code contracts/usage-events/}. budget-service's and analytics-service's
 * {@code UsageContractTest} feed the same files through their consumers.
 * <p>
 * {@code -Dacc.usage-contract.update=true} rewrites the golden files from what the proxy produced instead of comparing
 * (then review the diff and run the consumer tests).
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class UsageContractTest {

    /** Every case this test produces; each must have a golden file, and every golden file a case. */
    static final List<String> CASES = List.of("chat-ok", "chat-streamed", "chat-stream-client-disconnected",
            "chat-fallback-to-builtin", "chat-under-budgets", "chat-refused-budget-429", "chat-security-blocked",
            "chat-refused-invalid-key", "messages-cross-format", "messages-cached-tokens");

    /** An upstream answer with fixed usage: 120 prompt tokens of which 64 cached, 20 output tokens. */
    static final String OPENAI_ANSWER = "{\"id\":\"chatcmpl-c\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi.\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":20,\"total_tokens\":140,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":64}}}";
    static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE";

    static WireMockServer upstream;
    static boolean seeded;

    @Inject
    DataSource dataSource;
    @Inject
    RedisDataSource redis;
    @Inject
    ProxyRouting routing;
    @Inject
    BudgetSnapshot budgets;
    @Inject
    BudgetRedis budgetRedis;

    @TestHTTPResource("/")
    URI base;

    LlmTestData data;
    LlmTestData.Issued key;

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
        data = new LlmTestData(dataSource);
        key = data.key();
        upstream.resetAll();
        upstream.stubFor(post(urlEqualTo("/ct-broken/v1/chat/completions")).willReturn(aResponse().withStatus(500)
                .withHeader("content-type", "application/json").withBody("{\"error\":{\"message\":\"boom\"}}")));
        upstream.stubFor(post(urlEqualTo("/ct-openai/v1/chat/completions")).willReturn(aResponse()
                .withHeader("content-type", "application/json").withBody(OPENAI_ANSWER)));
        if (!seeded) {
            String stub = "http://localhost:" + upstream.port();
            data.deployment("ct-broken", "openai", "gpt-4o-mini", stub + "/ct-broken/v1", "sk-ct-broken");
            data.deployment("ct-openai", "openai", "gpt-4o-mini", stub + "/ct-openai/v1", "sk-ct-openai");
            // A row deployment that fails, then the built-in mock-large as the fallback model.
            data.route("ct-fallback", List.of("ct-broken"), List.of("mock-large"));
            data.route("ct-cross", List.of("ct-openai"), List.of());
            seeded = true;
        }
        assertTrue(routing.reload());
    }

    private static String chat(String model, boolean stream, String user) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":100,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"" + user + "\"}]}";
    }

    private Response call(String path, String mock, String body) {
        var r = given().header("Authorization", "Bearer " + key.key()).header("x-acc-agent-id", "contract-agent")
                .contentType("application/json");
        if (mock != null) {
            r = r.header("x-acc-mock", mock);
        }
        return r.body(body).post(path);
    }

    /** Reads the call's event back from Redis and checks it against (or, in update mode, writes) its golden file. */
    private Map<String, String> check(String name, String requestId) {
        assertNotNull(requestId, "no x-acc-request-id");
        UsageEvents.await(redis, requestId, Duration.ofSeconds(5));
        Map<String, String> produced = rawEvent(requestId);
        if (UsageContract.updating()) {
            UsageContract.write(name, produced);
        } else {
            String drift = UsageContract.mismatch(name, produced);
            if (drift != null) {
                fail(drift);
            }
        }
        return produced;
    }

    @Test
    void everyGoldenFileHasAProducerCase() {
        assertEquals(new TreeSet<>(CASES), new TreeSet<>(UsageContract.all().keySet()),
                "each file in contracts/usage-events must be produced by a case of this test (and the reverse)");
    }

    @Test
    void aFieldTheGoldenFileDoesNotKnowFailsNamingTheFileToUpdate() {
        Map<String, String> produced = UsageContract.instantiate(UsageContract.golden("chat-ok"), System.currentTimeMillis(),
                Map.of());
        assertNull(UsageContract.mismatch("chat-ok", produced), "a concrete golden event matches its own file");
        produced.put("new_field", "x");
        produced.remove("agent_id");
        produced.put("cost_micros", "12.5");
        String message = UsageContract.mismatch("chat-ok", produced);
        assertNotNull(message);
        assertTrue(message.contains("contracts/usage-events/chat-ok.json"), message);
        assertTrue(message.contains("the contract does not know: [new_field]"), message);
        assertTrue(message.contains("no longer writes: [agent_id]"), message);
        assertTrue(message.contains("cost_micros: golden"), message);
        assertTrue(message.contains("Changing the event"), message);
    }

    @Test
    void chatOk() {
        Response r = call("/v1/chat/completions", "words=7", chat("mock-small", false, "Say hello to the contract"));
        r.then().statusCode(200);
        Map<String, String> e = check("chat-ok", r.header("x-acc-request-id"));
        assertEquals(key.tenantId().toString(), e.get("tenant_id"));
        assertEquals(key.keyId().toString(), e.get("key_id"));
        assertEquals(r.header("x-acc-cost-usd"), e.get("cost_usd"));
    }

    @Test
    void chatStreamed() {
        Response r = call("/v1/chat/completions", "words=6", chat("mock-small", true, "Stream hello to the contract"));
        r.then().statusCode(200);
        check("chat-streamed", r.header("x-acc-request-id"));
    }

    @Test
    void chatStreamAbandonedByItsClient() throws Exception {
        // One word per event, 400 ms apart: the client leaves after the role event and two words, long before the next.
        String body = chat("mock-small", true, "Stream slowly to the contract");
        String requestId = null;
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key.key()
                    + "\r\nx-acc-agent-id: contract-agent\r\nx-acc-mock: words=20,chunk-delay=400ms"
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader reader = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            int dataLines = 0;
            String line;
            while (dataLines < 3 && (line = reader.readLine()) != null) {
                if (line.toLowerCase().startsWith("x-acc-request-id:")) {
                    requestId = line.substring(17).trim();
                }
                if (line.startsWith("data: ")) {
                    dataLines++;
                }
            }
        }
        check("chat-stream-client-disconnected", requestId);
    }

    @Test
    void chatFallsBackToABuiltinDeployment() {
        Response r = call("/v1/chat/completions", "words=5", chat("ct-fallback", false, "Fall back for the contract"));
        r.then().statusCode(200).header("x-acc-fallbacks", "1");
        check("chat-fallback-to-builtin", r.header("x-acc-request-id"));
    }

    @Test
    void chatUnderTwoBudgets() throws Exception {
        UUID first = budget(key.tenantId(), 100_000_000L);
        UUID second = budget(key.tenantId(), 50_000_000L);
        Response r = call("/v1/chat/completions", "words=4", chat("mock-small", false, "Spend a little for the contract"));
        r.then().statusCode(200);
        Map<String, String> e = check("chat-under-budgets", r.header("x-acc-request-id"));
        assertEquals(new TreeSet<>(List.of(first.toString(), second.toString())),
                new TreeSet<>(List.of(e.get("budget_ids").split(","))));
    }

    @Test
    void chatRefusedByAHardBudget() throws Exception {
        budget(key.tenantId(), 1L);
        Response r = call("/v1/chat/completions", "words=4", chat("mock-small", false, "Too expensive for the contract"));
        r.then().statusCode(429);
        check("chat-refused-budget-429", r.header("x-acc-request-id"));
    }

    @Test
    void chatBlockedBySecurity() {
        Response r = call("/v1/chat/completions", null, chat("mock-small", false, "deploy with " + AWS_KEY + " please"));
        r.then().statusCode(400);
        check("chat-security-blocked", r.header("x-acc-request-id"));
    }

    @Test
    void chatRefusedForAnUnknownKey() {
        Response r = given().header("Authorization", "Bearer sk-acc-doesnotexist").contentType("application/json")
                .body(chat("mock-small", false, "Who am I")).post("/v1/chat/completions");
        r.then().statusCode(401);
        check("chat-refused-invalid-key", r.header("x-acc-request-id"));
    }

    @Test
    void anthropicClientServedByAnOpenAiDeployment() {
        Response r = call("/v1/messages", null, "{\"model\":\"ct-cross\",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Cross over for the contract\"}]}");
        r.then().statusCode(200);
        check("messages-cross-format", r.header("x-acc-request-id"));
    }

    @Test
    void anthropicCallWithCachedTokens() {
        Response r = call("/v1/messages", "cached=10,words=4", "{\"model\":\"mock-large\",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about cost control for agents please\"}]}");
        r.then().statusCode(200);
        check("messages-cached-tokens", r.header("x-acc-request-id"));
    }

    /** The event as stored, fields in the order the proxy appended them (XRANGE read without a map in between). */
    private Map<String, String> rawEvent(String requestId) {
        for (io.vertx.mutiny.redis.client.Response entry : redis.execute("XRANGE", "acc:usage", "-", "+")) {
            io.vertx.mutiny.redis.client.Response kv = entry.get(1);
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i + 1 < kv.size(); i += 2) {
                fields.put(kv.get(i).toString(), kv.get(i + 1).toString());
            }
            if (requestId.equals(fields.get("request_id"))) {
                return fields;
            }
        }
        throw new AssertionError("usage event " + requestId + " vanished from acc:usage");
    }

    /** A tenant-wide hard monthly budget, live in the proxy's snapshot and counters. */
    private UUID budget(UUID tenant, long limitMicros) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO budgets (id, tenant_id, scope_type, period, limit_micros, mode) "
                        + "VALUES (?, ?, 'tenant', 'monthly', ?, 'hard')")) {
            q.setObject(1, id);
            q.setObject(2, tenant);
            q.setLong(3, limitMicros);
            q.executeUpdate();
        }
        assertTrue(budgets.reload());
        budgetRedis.engine().markSynced(tenant.toString()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        return id;
    }
}
