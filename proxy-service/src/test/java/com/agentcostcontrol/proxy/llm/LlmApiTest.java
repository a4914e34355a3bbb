package com.agentcostcontrol.proxy.llm;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.testing.AccTestEnvironment;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The inbound APIs against the built-in mock provider: shapes, usage, headers, refusals, usage events. */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class LlmApiTest {

    @Inject
    DataSource dataSource;
    @Inject
    RedisDataSource redis;

    LlmTestData data;
    LlmTestData.Issued key;

    @BeforeEach
    void setUp() {
        data = new LlmTestData(dataSource);
        key = data.key();
    }

    private static String chat(String model, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + extra
                + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello to the gateway\"}]}";
    }

    @Test
    void chatCompletionAnswersInOpenAiShapeWithUsageAndHeaders() {
        Response r = given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .header("x-acc-agent-id", "planner-1")
                .body(chat("mock-small", false, "")).post("/v1/chat/completions");
        r.then().statusCode(200)
                .header("x-acc-request-id", startsWith("req_"))
                .header("x-acc-provider", "mock")
                .header("x-acc-model", "mock-small")
                .header("x-acc-fallbacks", "0")
                .body("object", equalTo("chat.completion"))
                .body("model", equalTo("mock-small"))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.prompt_tokens", greaterThan(5))
                .body("usage.completion_tokens", greaterThan(5));
        String content = r.path("choices[0].message.content");
        int completion = r.path("usage.completion_tokens");
        assertEquals(content.split(" ").length, completion, "one word per output token");

        // Deterministic: the same prompt gives the same text.
        String again = given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body(chat("mock-small", false, "")).post("/v1/chat/completions").path("choices[0].message.content");
        assertEquals(content, again);

        // mock-small is priced like gpt-4o-mini: $0.15 / $0.60 per 1M input / output tokens.
        int prompt = r.path("usage.prompt_tokens");
        BigDecimal expected = new BigDecimal("0.00000015").multiply(BigDecimal.valueOf(prompt))
                .add(new BigDecimal("0.0000006").multiply(BigDecimal.valueOf(completion))).setScale(6, RoundingMode.HALF_UP);
        assertEquals(expected.toPlainString(), r.header("x-acc-cost-usd"));

        Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals(expected.toPlainString(), event.get("cost_usd"));
        assertEquals(String.valueOf(expected.movePointRight(6).longValueExact()), event.get("cost_micros"));
        assertEquals("ok", event.get("status"));
        assertEquals("chat", event.get("endpoint"));
        assertEquals(key.tenantId().toString(), event.get("tenant_id"));
        assertEquals(key.keyId().toString(), event.get("key_id"));
        assertEquals("planner-1", event.get("agent_id"));
        assertEquals("mock-small", event.get("requested_model"));
        assertEquals("mock-small", event.get("served_model"));
        assertEquals("mock", event.get("provider"));
        assertEquals("false", event.get("streamed"));
        assertEquals(String.valueOf(completion), event.get("output_tokens"));
        assertEquals(String.valueOf((int) r.path("usage.prompt_tokens")), event.get("input_tokens"));
        assertEquals("200", event.get("http_status"));
    }

    @Test
    void cachedTokensArePricedByEachFormatsConvention() {
        // OpenAI: cached tokens are inside prompt_tokens and billed at the cache-read price.
        Response r = given().header("Authorization", "Bearer " + key.key()).header("x-acc-mock", "cached=10,words=4")
                .contentType("application/json").body(chat("mock-small", false, "")).post("/v1/chat/completions");
        r.then().statusCode(200).body("usage.prompt_tokens_details.cached_tokens", equalTo(10));
        int prompt = r.path("usage.prompt_tokens");
        BigDecimal expected = new BigDecimal("0.00000015").multiply(BigDecimal.valueOf(prompt - 10))
                .add(new BigDecimal("0.000000075").multiply(BigDecimal.TEN))
                .add(new BigDecimal("0.0000006").multiply(BigDecimal.valueOf(4))).setScale(6, RoundingMode.HALF_UP);
        assertEquals(expected.toPlainString(), r.header("x-acc-cost-usd"));

        // Anthropic: input_tokens exclude cache reads, which are billed on top (mock-large = claude-sonnet-4-5 prices).
        Response m = given().header("x-api-key", key.key()).header("x-acc-mock", "cached=10,words=4").contentType("application/json")
                .body("{\"model\":\"mock-large\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about cost control for agents please\"}]}")
                .post("/v1/messages");
        m.then().statusCode(200).body("usage.cache_read_input_tokens", equalTo(10)).body("usage.output_tokens", equalTo(4));
        int input = m.path("usage.input_tokens");
        BigDecimal anthropic = new BigDecimal("0.000003").multiply(BigDecimal.valueOf(input))
                .add(new BigDecimal("0.0000003").multiply(BigDecimal.TEN))
                .add(new BigDecimal("0.000015").multiply(BigDecimal.valueOf(4))).setScale(6, RoundingMode.HALF_UP);
        assertEquals(anthropic.toPlainString(), m.header("x-acc-cost-usd"));
        Map<String, String> event = UsageEvents.await(redis, m.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals(String.valueOf(input), event.get("input_tokens"));
        assertEquals("10", event.get("cache_read_tokens"));
        assertEquals(anthropic.toPlainString(), event.get("cost_usd"));
    }

    @Test
    void xApiKeyHeaderIsAcceptedToo() {
        given().header("x-api-key", key.key()).contentType("application/json")
                .body(chat("mock-large", false, ",\"max_tokens\":7")).post("/v1/chat/completions")
                .then().statusCode(200).body("usage.completion_tokens", equalTo(7)).header("x-acc-model", "mock-large");
    }

    @Test
    void nChoicesToolsAndJsonSchema() {
        given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body(chat("mock-small", false, ",\"n\":3")).post("/v1/chat/completions")
                .then().statusCode(200).body("choices.size()", equalTo(3)).body("choices[2].index", equalTo(2));

        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\",\"enum\":[\"c\",\"f\"]}},"
                + "\"required\":[\"city\"]}}}],\"tool_choice\":\"auto\"";
        Response r = given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body(chat("mock-small", false, tools)).post("/v1/chat/completions");
        r.then().statusCode(200).body("choices[0].finish_reason", equalTo("tool_calls"))
                .body("choices[0].message.tool_calls[0].type", equalTo("function"))
                .body("choices[0].message.tool_calls[0].function.name", equalTo("get_weather"));
        String args = r.path("choices[0].message.tool_calls[0].function.arguments");
        assertTrue(args.contains("\"unit\":\"c\""), args);

        String schema = ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":"
                + "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}}}}}";
        String content = given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body(chat("mock-small", false, schema)).post("/v1/chat/completions").then().statusCode(200)
                .extract().path("choices[0].message.content");
        assertEquals("{\"ok\":true}", content);
    }

    @Test
    void streamingChatRelaysChunksEndsWithDoneAndStripsUsageUnlessAsked() throws Exception {
        Response r = given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body(chat("mock-small", true, "")).post("/v1/chat/completions");
        r.then().statusCode(200).header("content-type", startsWith("text/event-stream"))
                .header("x-acc-provider", "mock").header("x-acc-request-id", notNullValue());
        List<String> data = dataLines(r.asString());
        assertEquals("[DONE]", data.get(data.size() - 1));
        StringBuilder text = new StringBuilder();
        for (String d : data.subList(0, data.size() - 1)) {
            JsonNode chunk = Json.parse(d);
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            assertTrue(chunk.path("usage").isMissingNode() || chunk.path("usage").isNull(), "usage chunk leaked: " + d);
            text.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertTrue(data.size() > 4, "several chunks: " + data.size());
        Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals("true", event.get("streamed"));
        assertEquals("false", event.get("tokens_estimated"));
        assertEquals(String.valueOf(text.toString().split(" ").length), event.get("output_tokens"));

        Response withUsage = given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body(chat("mock-small", true, ",\"stream_options\":{\"include_usage\":true}")).post("/v1/chat/completions");
        List<String> d2 = dataLines(withUsage.asString());
        JsonNode usageChunk = Json.parse(d2.get(d2.size() - 2));
        assertEquals(0, usageChunk.path("choices").size());
        assertTrue(usageChunk.path("usage").path("completion_tokens").asInt() > 0);
    }

    @Test
    void embeddingsInFloatAndBase64() {
        given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"mock-small\",\"input\":[\"hello\",\"world\"],\"dimensions\":8}").post("/v1/embeddings")
                .then().statusCode(200).body("object", equalTo("list")).body("data.size()", equalTo(2))
                .body("data[0].embedding.size()", equalTo(8)).body("usage.prompt_tokens", greaterThan(1))
                .header("x-acc-cost-usd", org.hamcrest.Matchers.matchesPattern("0\\.\\d{6}"));
        String b64 = given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"mock-small\",\"input\":\"hello\",\"encoding_format\":\"base64\"}").post("/v1/embeddings")
                .then().statusCode(200).extract().path("data[0].embedding");
        assertEquals(64 * 4, java.util.Base64.getDecoder().decode(b64).length);
    }

    @Test
    void anthropicMessagesPlainAndStreaming() throws Exception {
        String body = "{\"model\":\"mock-large\",\"max_tokens\":256,\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"Hello\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]";
        given().header("x-api-key", key.key()).header("anthropic-version", "2023-06-01").contentType("application/json")
                .body(body + "}").post("/v1/messages")
                .then().statusCode(200).body("type", equalTo("message")).body("role", equalTo("assistant"))
                .body("content[0].type", equalTo("text")).body("stop_reason", equalTo("end_turn"))
                .body("usage.input_tokens", greaterThan(3)).body("usage.output_tokens", greaterThan(3))
                .header("x-acc-provider", "mock");

        Response s = given().header("x-api-key", key.key()).contentType("application/json")
                .body(body + ",\"stream\":true,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}").post("/v1/messages");
        s.then().statusCode(200);
        String sse = s.asString();
        assertTrue(sse.startsWith("event: message_start\n"), sse);
        assertTrue(sse.contains("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\""));
        assertTrue(sse.trim().endsWith("data: {\"type\":\"message_stop\"}"), sse);
        Map<String, String> event = UsageEvents.await(redis, s.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals("messages", event.get("endpoint"));
        assertNotEquals("0", event.get("output_tokens"));
        assertEquals("false", event.get("tokens_estimated"));
    }

    @Test
    void anthropicToolUseAndCountTokens() {
        String body = "{\"model\":\"mock-small\",\"max_tokens\":100,\"tools\":[{\"name\":\"lookup\",\"input_schema\":"
                + "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}}],\"messages\":[{\"role\":\"user\",\"content\":\"find it\"}]}";
        given().header("x-api-key", key.key()).contentType("application/json").body(body).post("/v1/messages")
                .then().statusCode(200).body("stop_reason", equalTo("tool_use")).body("content[0].type", equalTo("tool_use"))
                .body("content[0].name", equalTo("lookup")).body("content[0].input.q", notNullValue());
        given().header("x-api-key", key.key()).contentType("application/json").body(body).post("/v1/messages/count_tokens")
                .then().statusCode(200).body("input_tokens", greaterThan(5));
    }

    @Test
    void refusalsUseTheEndpointsEnvelope() {
        given().header("Authorization", "Bearer sk-acc-doesnotexist").contentType("application/json")
                .body(chat("mock-small", false, "")).post("/v1/chat/completions")
                .then().statusCode(401).body("error.type", equalTo("authentication_error"))
                .body("error.code", equalTo("invalid_api_key")).header("x-acc-request-id", notNullValue());
        given().contentType("application/json").body(chat("mock-small", false, "")).post("/v1/chat/completions")
                .then().statusCode(401).body("error.code", equalTo("missing_api_key"));
        given().header("x-api-key", "sk-acc-nope").contentType("application/json")
                .body("{\"model\":\"mock-small\",\"max_tokens\":5,\"messages\":[]}").post("/v1/messages")
                .then().statusCode(401).body("type", equalTo("error")).body("error.type", equalTo("authentication_error"));

        given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body(chat("no-such-model", false, "")).post("/v1/chat/completions")
                .then().statusCode(404).body("error.code", equalTo("model_not_found"));

        LlmTestData.Issued limited = data.key("active", List.of("mock-small"));
        given().header("Authorization", "Bearer " + limited.key()).contentType("application/json")
                .body(chat("mock-large", false, "")).post("/v1/chat/completions")
                .then().statusCode(403).body("error.code", equalTo("model_not_allowed"))
                .body("error.message", org.hamcrest.Matchers.containsString("mock-large"));
        given().header("x-api-key", limited.key()).contentType("application/json")
                .body("{\"model\":\"mock-large\",\"max_tokens\":5,\"messages\":[]}").post("/v1/messages")
                .then().statusCode(403).body("error.type", equalTo("permission_error"));

        LlmTestData.Issued suspended = data.key("suspended", null);
        given().header("Authorization", "Bearer " + suspended.key()).contentType("application/json")
                .body(chat("mock-small", false, "")).post("/v1/chat/completions")
                .then().statusCode(402).body("error.code", equalTo("tenant_suspended"));

        LlmTestData.Issued manageOnly = data.key("active", null, "manage");
        given().header("Authorization", "Bearer " + manageOnly.key()).contentType("application/json")
                .body(chat("mock-small", false, "")).post("/v1/chat/completions")
                .then().statusCode(403).body("error.code", equalTo("missing_scope"));

        given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{not json").post("/v1/chat/completions")
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"));

        Response refused = given().header("Authorization", "Bearer " + limited.key()).contentType("application/json")
                .body(chat("mock-large", false, "")).post("/v1/chat/completions");
        Map<String, String> event = UsageEvents.await(redis, refused.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals("refused", event.get("status"));
        assertEquals("403", event.get("http_status"));
        assertEquals("model_not_allowed", event.get("error_code"));
    }

    @Test
    void modelsListsOnlyWhatTheKeyMayUse() {
        given().header("Authorization", "Bearer " + key.key()).get("/v1/models")
                .then().statusCode(200).body("object", equalTo("list")).body("data.id", hasItems("mock-small", "mock-large"));
        LlmTestData.Issued limited = data.key("active", List.of("mock-small"));
        List<String> ids = given().header("Authorization", "Bearer " + limited.key()).get("/v1/models")
                .then().statusCode(200).extract().path("data.id");
        assertEquals(List.of("mock-small"), ids);
        given().header("x-api-key", limited.key()).header("anthropic-version", "2023-06-01").get("/v1/models")
                .then().statusCode(200).body("data[0].type", equalTo("model")).body("has_more", equalTo(false));
        given().header("Authorization", "Bearer " + limited.key()).get("/v1/models/mock-large").then().statusCode(404);
        given().get("/v1/models").then().statusCode(401);
    }

    @Test
    void mockDirectivesFailAndDelay() {
        Response r = given().header("Authorization", "Bearer " + key.key()).header("x-acc-mock", "fail=503")
                .contentType("application/json").body(chat("mock-small", false, "")).post("/v1/chat/completions");
        // A provider 503 without Retry-After still tells the client when to retry.
        r.then().statusCode(503).header("Retry-After", "1").body("error.code", equalTo("mock_failure"));
        Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals("upstream_error", event.get("status"));

        long start = System.nanoTime();
        given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"mock-small\",\"metadata\":{\"acc_mock\":\"delay=300ms\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 300);
    }

    static List<String> dataLines(String sse) {
        List<String> out = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                out.add(line.substring(6));
            }
        }
        assertFalse(out.isEmpty(), "no SSE data lines in: " + sse);
        return out;
    }
}
