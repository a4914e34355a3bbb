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
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** OpenAI-format calls served by Anthropic-format deployments and the reverse, streaming and tool calls included. */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class CrossFormatTest {

    static WireMockServer upstream;
    static boolean seeded;

    @Inject
    DataSource dataSource;
    @Inject
    ProxyRouting routing;
    @Inject
    RedisDataSource redis;

    LlmTestData.Issued key;

    static final String ANTHROPIC_TOOL_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":120,"cache_read_input_tokens":0,"cache_creation_input_tokens":0,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me check."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": "}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\"Paris\\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":40}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    static final String OPENAI_TOOL_COMPLETION = """
            {"id":"chatcmpl-t","object":"chat.completion","created":1,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
               "function":{"name":"lookup","arguments":"{\\"q\\":\\"acc\\"}"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,"prompt_tokens_details":{"cached_tokens":64}}}""";

    static final String OPENAI_TEXT_STREAM = """
            data: {"id":"c2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

            data: {"id":"c2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Bonjour"},"finish_reason":null}]}

            data: {"id":"c2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":" monde"},"finish_reason":"stop"}]}

            data: {"id":"c2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":30,"completion_tokens":3,"total_tokens":33}}

            data: [DONE]

            """;

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
        upstream.stubFor(post(urlEqualTo("/v1/messages")).atPriority(1).withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(aResponse().withHeader("content-type", "text/event-stream").withBody(ANTHROPIC_TOOL_STREAM)));
        upstream.stubFor(post(urlEqualTo("/v1/messages")).atPriority(5).willReturn(aResponse()
                .withHeader("content-type", "application/json").withBody(ProviderAdaptersTest.ANTHROPIC_MESSAGE)));
        upstream.stubFor(post(urlEqualTo("/oa/v1/chat/completions")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(aResponse().withHeader("content-type", "text/event-stream").withBody(OPENAI_TEXT_STREAM)));
        upstream.stubFor(post(urlEqualTo("/oa/v1/chat/completions")).atPriority(5).willReturn(aResponse()
                .withHeader("content-type", "application/json").withBody(OPENAI_TOOL_COMPLETION)));
        if (!seeded) {
            String base = "http://localhost:" + upstream.port();
            data.deployment("xf-anthropic", "anthropic", "claude-sonnet-4-5", base, "sk-ant-xf");
            data.deployment("xf-openai", "openai", "gpt-4o-mini", base + "/oa/v1", "sk-oa-xf");
            data.route("xf-claude", List.of("xf-anthropic"), List.of());
            data.route("xf-gpt", List.of("xf-openai"), List.of());
            seeded = true;
        }
        assertTrue(routing.reload());
    }

    @Test
    void openAiClientServedByAnthropicDeployment() {
        Response r = given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"xf-claude\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief\"},{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");
        r.then().statusCode(200).header("x-acc-provider", "anthropic").header("x-acc-model", "claude-sonnet-4-5");
        assertEquals("chat.completion", r.path("object"));
        assertEquals("Hello!", r.path("choices[0].message.content"));
        assertEquals("stop", r.path("choices[0].finish_reason"));
        assertEquals(3012, (int) r.path("usage.prompt_tokens"));
        assertEquals(2000, (int) r.path("usage.prompt_tokens_details.cached_tokens"));
        assertEquals("0.006111", r.header("x-acc-cost-usd"));
        var sent = upstream.findAll(postRequestedFor(urlEqualTo("/v1/messages"))).get(0);
        JsonNode body = parse(sent.getBodyAsString());
        assertEquals("Be brief", body.path("system").asText());
        assertTrue(body.path("max_tokens").asInt() > 0, "Anthropic requires max_tokens");
        assertEquals("sk-ant-xf", sent.getHeader("x-api-key"));
    }

    @Test
    void openAiStreamingToolCallFromAnthropicStream() throws Exception {
        Response r = given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"xf-claude\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"tools\":[{\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris?\"}]}")
                .post("/v1/chat/completions");
        r.then().statusCode(200);
        List<String> data = LlmApiTest.dataLines(r.asString());
        assertEquals("[DONE]", data.get(data.size() - 1));
        StringBuilder args = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        for (String d : data.subList(0, data.size() - 1)) {
            JsonNode c = parse(d);
            for (JsonNode tc : c.path("choices").path(0).path("delta").path("tool_calls")) {
                args.append(tc.path("function").path("arguments").asText(""));
            }
            if (c.path("choices").path(0).hasNonNull("finish_reason")) {
                finish = c.path("choices").path(0).path("finish_reason").asText();
            }
            if (c.hasNonNull("usage")) {
                usage = c.get("usage");
            }
        }
        assertEquals("{\"city\": \"Paris\"}", args.toString());
        assertEquals("tool_calls", finish);
        assertEquals(120, usage.path("prompt_tokens").asInt());
        assertEquals(40, usage.path("completion_tokens").asInt());
        Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals("120", event.get("input_tokens"));
        assertEquals("40", event.get("output_tokens"));
        assertEquals("ok", event.get("status"));
    }

    @Test
    void anthropicClientServedByOpenAiDeploymentWithToolUse() {
        Response r = given().header("x-api-key", key.key()).header("anthropic-version", "2023-06-01").contentType("application/json")
                .body("{\"model\":\"xf-gpt\",\"max_tokens\":100,\"tools\":[{\"name\":\"lookup\",\"input_schema\":{\"type\":\"object\"}}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"look it up\"}]}")
                .post("/v1/messages");
        r.then().statusCode(200).header("x-acc-provider", "openai");
        assertEquals("message", r.path("type"));
        assertEquals("tool_use", r.path("stop_reason"));
        assertEquals("tool_use", r.path("content[0].type"));
        assertEquals("acc", r.path("content[0].input.q"));
        assertEquals(36, (int) r.path("usage.input_tokens"));
        assertEquals(64, (int) r.path("usage.cache_read_input_tokens"));
        var sent = upstream.findAll(postRequestedFor(urlEqualTo("/oa/v1/chat/completions"))).get(0);
        assertEquals("Bearer sk-oa-xf", sent.getHeader("Authorization"));
        assertFalse(sent.containsHeader("x-api-key"));
        assertEquals("function", parse(sent.getBodyAsString()).path("tools").path(0).path("type").asText());
    }

    @Test
    void anthropicStreamingFromOpenAiStream() {
        Response r = given().header("x-api-key", key.key()).contentType("application/json")
                .body("{\"model\":\"xf-gpt\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"salut\"}]}")
                .post("/v1/messages");
        r.then().statusCode(200);
        String sse = r.asString();
        assertTrue(sse.startsWith("event: message_start"), sse);
        assertTrue(sse.contains("\"text\":\"Bonjour\""), sse);
        assertTrue(sse.contains("event: message_stop"), sse);
        assertTrue(sse.contains("\"output_tokens\":3"), sse);
        var sent = upstream.findAll(postRequestedFor(urlEqualTo("/oa/v1/chat/completions"))).get(0);
        assertTrue(parse(sent.getBodyAsString()).path("stream_options").path("include_usage").asBoolean());
    }

    @Test
    void untranslatableRequestAndUpstreamErrorsUseTheClientsEnvelope() {
        given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"xf-claude\",\"n\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(400)
                .body("error.message", org.hamcrest.Matchers.containsString("n=3"));

        upstream.stubFor(post(urlEqualTo("/v1/messages")).atPriority(0).willReturn(aResponse().withStatus(400)
                .withHeader("content-type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long\"}}")));
        given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"xf-claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(400)
                .body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"))
                .body("error.message", org.hamcrest.Matchers.containsString("prompt is too long"));
    }

    private static JsonNode parse(String s) {
        try {
            return Json.parse(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
