package com.agentcostcontrol.proxy.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.llm.routing.ProxyRouting;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Every provider adapter against WireMock upstreams: URL shapes, credentials (only the deployment's,
 * only to its own host, never the tenant's key), fallback on 5xx and connect errors, error relay,
 * and usage conventions (OpenAI cached tokens inside prompt_tokens, Anthropic cache tokens on top).
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class ProviderAdaptersTest {

    static WireMockServer openAiHost;
    static WireMockServer anthropicHost;
    static boolean seeded;

    @Inject
    DataSource dataSource;
    @Inject
    ProxyRouting routing;
    @Inject
    RedisDataSource redis;

    LlmTestData.Issued key;

    @BeforeAll
    static void startUpstreams() {
        openAiHost = new WireMockServer(options().dynamicPort());
        anthropicHost = new WireMockServer(options().dynamicPort());
        openAiHost.start();
        anthropicHost.start();
    }

    @AfterAll
    static void stopUpstreams() {
        openAiHost.stop();
        anthropicHost.stop();
    }

    @BeforeEach
    void setUp() throws Exception {
        LlmTestData data = new LlmTestData(dataSource);
        key = data.key();
        openAiHost.resetAll();
        anthropicHost.resetAll();
        stubs();
        if (!seeded) {
            String oa = "http://localhost:" + openAiHost.port();
            String an = "http://localhost:" + anthropicHost.port();
            int closed;
            try (ServerSocket s = new ServerSocket(0)) {
                closed = s.getLocalPort();
            }
            data.deployment("pa-openai", "openai", "gpt-4o-mini", oa + "/v1", "sk-upstream-openai");
            data.deployment("pa-azure", "azure-openai", "my-gpt-deploy", oa, "azure-secret");
            data.deployment("pa-compat", "openai-compatible", "llama-3.1-8b", oa + "/compat/v1/", null);
            data.deployment("pa-anthropic", "anthropic", "claude-sonnet-4-5", an, "sk-ant-upstream");
            data.deployment("pa-sub2api", "sub2api", "claude-sonnet-4-5", an + "/sub2api", "sk-sub2api-key");
            data.deployment("pa-failing", "openai", "gpt-4o-mini", oa + "/failing/v1", "sk-upstream-openai");
            data.deployment("pa-dead", "openai", "gpt-4o-mini", "http://127.0.0.1:" + closed + "/v1", "sk-dead");
            data.deployment("pa-badcred", "openai", "gpt-4o-mini", oa + "/badcred/v1", "sk-upstream-openai");
            data.route("pa-gpt", List.of("pa-openai"), List.of());
            data.route("pa-azure", List.of("pa-azure"), List.of());
            data.route("pa-compat", List.of("pa-compat"), List.of());
            data.route("pa-claude", List.of("pa-anthropic"), List.of());
            data.route("pa-sub2api", List.of("pa-sub2api"), List.of());
            data.route("pa-fallback", List.of("pa-failing", "pa-openai"), List.of());
            data.route("pa-connect", List.of("pa-dead"), List.of("pa-gpt"));
            data.route("pa-badcred", List.of("pa-badcred"), List.of());
            seeded = true;
        }
        assertTrue(routing.reload());
    }

    static final String OPENAI_COMPLETION = """
            {"id":"chatcmpl-abc","object":"chat.completion","created":1730000000,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hi there","refusal":null},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
                      "prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},
                      "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
             "system_fingerprint":"fp_123"}""";

    static final String ANTHROPIC_MESSAGE = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":12,"cache_creation_input_tokens":1000,"cache_read_input_tokens":2000,
                      "cache_creation":{"ephemeral_5m_input_tokens":400,"ephemeral_1h_input_tokens":600},"output_tokens":25}}""";

    static final String OPENAI_STREAM = """
            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}],"usage":null}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":50,"completion_tokens":2,"total_tokens":52,"prompt_tokens_details":{"cached_tokens":0}}}

            data: [DONE]

            """;

    private void stubs() {
        openAiHost.stubFor(post(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .atPriority(1)
                .willReturn(aResponse().withHeader("content-type", "text/event-stream").withBody(OPENAI_STREAM)));
        openAiHost.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(5)
                .willReturn(aResponse().withHeader("content-type", "application/json").withBody(OPENAI_COMPLETION)));
        openAiHost.stubFor(post(urlEqualTo("/openai/deployments/my-gpt-deploy/chat/completions?api-version=2024-10-21"))
                .willReturn(aResponse().withHeader("content-type", "application/json").withBody(OPENAI_COMPLETION)));
        openAiHost.stubFor(post(urlEqualTo("/compat/v1/chat/completions"))
                .willReturn(aResponse().withHeader("content-type", "application/json").withBody(OPENAI_COMPLETION)));
        openAiHost.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withHeader("content-type", "application/json")
                .withBody("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]}],"
                        + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}")));
        openAiHost.stubFor(post(urlEqualTo("/failing/v1/chat/completions")).willReturn(aResponse().withStatus(503)
                .withHeader("content-type", "application/json").withBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")));
        openAiHost.stubFor(post(urlEqualTo("/badcred/v1/chat/completions")).willReturn(aResponse().withStatus(401)
                .withHeader("content-type", "application/json").withBody("{\"error\":{\"message\":\"Incorrect API key\",\"type\":\"invalid_request_error\"}}")));
        anthropicHost.stubFor(post(urlEqualTo("/v1/messages"))
                .willReturn(aResponse().withHeader("content-type", "application/json").withBody(ANTHROPIC_MESSAGE)));
        anthropicHost.stubFor(post(urlEqualTo("/sub2api/v1/messages"))
                .willReturn(aResponse().withHeader("content-type", "application/json").withBody(ANTHROPIC_MESSAGE)));
        anthropicHost.stubFor(post(urlEqualTo("/v1/messages/count_tokens"))
                .willReturn(aResponse().withHeader("content-type", "application/json").withBody("{\"input_tokens\":42}")));
    }

    private Response chat(String model, String extra) {
        return given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"" + model + "\"" + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");
    }

    private Response messages(String model) {
        return given().header("x-api-key", key.key()).header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "prompt-caching-2024-07-31").contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/messages");
    }

    @Test
    void openAiGetsTheDeploymentKeyAndModelAndUsageKeepsCachedTokensApart() {
        Response r = chat("pa-gpt", "");
        r.then().statusCode(200).header("x-acc-provider", "openai").header("x-acc-model", "gpt-4o-mini");
        assertEquals("Hi there", r.path("choices[0].message.content"));
        LoggedRequest sent = only(openAiHost, "/v1/chat/completions");
        assertEquals("Bearer sk-upstream-openai", sent.getHeader("Authorization"));
        assertTrue(sent.getBodyAsString().contains("\"model\":\"gpt-4o-mini\""));
        Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
        // prompt_tokens 2006 include 1920 cached: 86 plain input + 1920 cache reads.
        assertEquals("86", event.get("input_tokens"));
        assertEquals("1920", event.get("cache_read_tokens"));
        assertEquals("2006", event.get("total_input_tokens"));
        assertEquals("300", event.get("output_tokens"));
        assertEquals("pa-openai", event.get("deployment"));
        // gpt-4o-mini: 86 x $0.15/M + 1920 x $0.075/M + 300 x $0.60/M = $0.0003369
        assertEquals("0.000337", r.header("x-acc-cost-usd"));
        assertEquals("337", event.get("cost_micros"));
        assertNoTenantKeyAnywhere();
    }

    @Test
    void azureUsesDeploymentUrlApiVersionAndApiKeyHeader() {
        chat("pa-azure", "").then().statusCode(200).header("x-acc-provider", "azure-openai");
        LoggedRequest sent = only(openAiHost, "/openai/deployments/my-gpt-deploy/chat/completions?api-version=2024-10-21");
        assertEquals("azure-secret", sent.getHeader("api-key"));
        assertFalse(sent.containsHeader("Authorization"));
    }

    @Test
    void openAiCompatibleWithoutKeySendsNoAuthorization() {
        chat("pa-compat", "").then().statusCode(200).header("x-acc-provider", "openai-compatible")
                .header("x-acc-model", "llama-3.1-8b");
        LoggedRequest sent = only(openAiHost, "/compat/v1/chat/completions");
        assertFalse(sent.containsHeader("Authorization"));
        assertTrue(sent.getBodyAsString().contains("\"model\":\"llama-3.1-8b\""));
    }

    @Test
    void anthropicAndSub2apiGetXApiKeyVersionAndBetaAndCacheUsageIsOnTop() {
        Response r = messages("pa-claude");
        r.then().statusCode(200).header("x-acc-provider", "anthropic");
        assertEquals("Hello!", r.path("content[0].text"));
        LoggedRequest sent = only(anthropicHost, "/v1/messages");
        assertEquals("sk-ant-upstream", sent.getHeader("x-api-key"));
        assertEquals("2023-06-01", sent.getHeader("anthropic-version"));
        assertEquals("prompt-caching-2024-07-31", sent.getHeader("anthropic-beta"));
        Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals("12", event.get("input_tokens"));
        assertEquals("2000", event.get("cache_read_tokens"));
        assertEquals("400", event.get("cache_write_5m_tokens"));
        assertEquals("600", event.get("cache_write_1h_tokens"));
        assertEquals("3012", event.get("total_input_tokens"));
        // claude-sonnet-4-5: 12 x $3/M + 2000 x $0.30/M + 400 x $3.75/M + 600 x $6/M + 25 x $15/M = $0.006111
        assertEquals("0.006111", r.header("x-acc-cost-usd"));

        messages("pa-sub2api").then().statusCode(200).header("x-acc-provider", "sub2api");
        assertEquals("sk-sub2api-key", only(anthropicHost, "/sub2api/v1/messages").getHeader("x-api-key"));

        given().header("x-api-key", key.key()).contentType("application/json")
                .body("{\"model\":\"pa-claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/messages/count_tokens").then().statusCode(200).body("input_tokens", org.hamcrest.Matchers.equalTo(42));
        assertNoTenantKeyAnywhere();
    }

    @Test
    void streamAsksUpstreamForUsageAndStripsItForTheClient() throws Exception {
        Response r = chat("pa-gpt", ",\"stream\":true");
        r.then().statusCode(200);
        List<String> data = LlmApiTest.dataLines(r.asString());
        assertEquals(List.of("[DONE]"), data.subList(data.size() - 1, data.size()));
        assertEquals(3, data.size() - 1, "usage chunk stripped: " + data);
        LoggedRequest sent = only(openAiHost, "/v1/chat/completions");
        assertEquals(true, Json.parse(sent.getBodyAsString()).path("stream_options").path("include_usage").asBoolean());
        Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals("50", event.get("input_tokens"));
        assertEquals("2", event.get("output_tokens"));
        assertEquals("false", event.get("tokens_estimated"));
    }

    @Test
    void fallsBackOn5xxAndConnectErrorButNotOnBadCredentialRelay() {
        Response r = chat("pa-fallback", "");
        r.then().statusCode(200).header("x-acc-fallbacks", "1").header("x-acc-attempts", "2").header("x-acc-provider", "openai");
        Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals("2", event.get("attempts"));
        assertEquals("1", event.get("fallbacks"));
        assertEquals("pa-openai", event.get("deployment"));

        chat("pa-connect", "").then().statusCode(200).header("x-acc-fallbacks", "1");

        // The deployment's credential was refused: the client must not see a 401 about its own key.
        chat("pa-badcred", "").then().statusCode(502).body("error.code", org.hamcrest.Matchers.equalTo("upstream_auth_failed"));
    }

    @Test
    void nonRetryableUpstreamErrorIsRelayedInTheClientsEnvelope() {
        openAiHost.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.temperature", equalTo("9")))
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"temperature too high\",\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":null}}")));
        chat("pa-gpt", ",\"temperature\":9").then().statusCode(400)
                .body("error.message", org.hamcrest.Matchers.equalTo("temperature too high"))
                .body("error.param", org.hamcrest.Matchers.equalTo("temperature"));
    }

    @Test
    void embeddingsGoToTheOpenAiHost() {
        given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"pa-gpt\",\"input\":\"hello\"}").post("/v1/embeddings")
                .then().statusCode(200).body("data[0].embedding.size()", org.hamcrest.Matchers.equalTo(2));
        assertEquals("Bearer sk-upstream-openai", only(openAiHost, "/v1/embeddings").getHeader("Authorization"));
    }

    private static LoggedRequest only(WireMockServer server, String url) {
        List<LoggedRequest> found = server.findAll(postRequestedFor(urlEqualTo(url)));
        assertEquals(1, found.size(), "requests to " + url);
        return found.get(0);
    }

    /** Neither upstream ever saw the tenant's key, and each saw only its own deployments' credentials. */
    private void assertNoTenantKeyAnywhere() {
        for (WireMockServer server : List.of(openAiHost, anthropicHost)) {
            for (var e : server.getAllServeEvents()) {
                LoggedRequest req = e.getRequest();
                assertFalse(req.getBodyAsString().contains(key.key()));
                for (HttpHeader h : req.getHeaders().all()) {
                    assertFalse(h.values().stream().anyMatch(v -> v.contains(key.key())), "tenant key leaked in " + h.key());
                    if (server == anthropicHost) {
                        assertFalse(h.values().stream().anyMatch(v -> v.contains("sk-upstream-openai") || v.contains("azure-secret")));
                    } else {
                        assertFalse(h.values().stream().anyMatch(v -> v.contains("sk-ant-upstream") || v.contains("sk-sub2api")));
                    }
                }
            }
        }
    }
}
