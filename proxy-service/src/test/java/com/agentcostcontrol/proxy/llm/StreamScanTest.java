package com.agentcostcontrol.proxy.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.llm.routing.ProxyRouting;
import com.agentcostcontrol.proxy.llm.security.SecurityPolicies;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Streamed answers scanned as they are relayed, through the real proxy against raw-socket upstream stubs:
 * a secret split across two SSE chunks is blocked (nothing of it reaches the client, the upstream is
 * cancelled, the tokens are billed), flagged (bytes unchanged) or redacted, in OpenAI, Anthropic and
 * cross-format streams; a clean stream is byte-identical to an unscanned one.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class StreamScanTest {

    static final String AWS_KEY = SecurityScanTest.AWS_KEY;
    /** The key split across two chunks, mid-way, so neither chunk alone holds a match. */
    static final String KEY_HEAD = AWS_KEY.substring(0, 9);
    static final String KEY_TAIL = AWS_KEY.substring(9);
    static final AtomicInteger NAMES = new AtomicInteger();

    @Inject
    DataSource dataSource;
    @Inject
    ProxyRouting routing;
    @Inject
    SecurityPolicies policies;
    @Inject
    RedisDataSource redis;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    LlmTestData data;
    LlmTestData.Issued key;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        data = new LlmTestData(dataSource);
        key = data.key();
    }

    private String route(String provider, String model, int upstreamPort) {
        String name = "ss-" + NAMES.incrementAndGet();
        data.deployment(name + "-dep", provider, model, "http://127.0.0.1:" + upstreamPort
                + ("openai".equals(provider) ? "/v1" : ""), "sk-raw");
        data.route(name, List.of(name + "-dep"), List.of());
        assertTrue(routing.reload());
        return name;
    }

    private void responseSecrets(LlmTestData.Issued k, String action) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO security_policies (tenant_id, prompt_secrets, prompt_pii, prompt_injection, response_secrets,"
                        + " response_pii, response_injection) VALUES (?, 'block', 'flag', 'flag', ?, ?, ?)")) {
            q.setObject(1, k.tenantId());
            q.setString(2, action);
            q.setString(3, "off".equals(action) ? "off" : "flag");
            q.setString(4, "off".equals(action) ? "off" : "flag");
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(policies.reload());
    }

    /** An OpenAI stream of {@code pieces}, then {@code tail} filler chunks 40 ms apart; notes when the proxy hangs up. */
    static RawUpstream.Script openAi(List<String> pieces, int tail, AtomicLong closedAt) {
        return (line, out, socket) -> {
            RawUpstream.sseHead(out);
            try {
                RawUpstream.chunk(out, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
                for (String p : pieces) {
                    RawUpstream.chunk(out, RawUpstream.openAiChunk(p, null));
                    Thread.sleep(5);
                }
                for (int i = 0; i < tail; i++) {
                    RawUpstream.chunk(out, RawUpstream.openAiChunk(" more" + i, null));
                    Thread.sleep(40);
                }
                RawUpstream.chunk(out, RawUpstream.openAiChunk("", "stop"));
                RawUpstream.chunk(out, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":30,\"total_tokens\":80}}\n\n");
                RawUpstream.chunk(out, "data: [DONE]\n\n");
                RawUpstream.lastChunk(out);
            } catch (IOException e) {
                if (closedAt != null) {
                    closedAt.set(System.nanoTime());
                }
                throw e;
            }
        };
    }

    /** An Anthropic stream whose text block is {@code pieces}. */
    static RawUpstream.Script anthropic(List<String> pieces, int tail, AtomicLong closedAt) {
        return (line, out, socket) -> {
            RawUpstream.sseHead(out);
            try {
                RawUpstream.chunk(out, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
                        + "\"stop_reason\":null,\"usage\":{\"input_tokens\":40,\"output_tokens\":1}}}\n\n");
                RawUpstream.chunk(out, "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
                for (String p : pieces) {
                    RawUpstream.chunk(out, anthropicText(p));
                    Thread.sleep(5);
                }
                for (int i = 0; i < tail; i++) {
                    RawUpstream.chunk(out, anthropicText(" more" + i));
                    Thread.sleep(40);
                }
                RawUpstream.chunk(out, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
                RawUpstream.chunk(out, "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                        + "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":25}}\n\n");
                RawUpstream.chunk(out, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
                RawUpstream.lastChunk(out);
            } catch (IOException e) {
                if (closedAt != null) {
                    closedAt.set(System.nanoTime());
                }
                throw e;
            }
        };
    }

    static String anthropicText(String text) {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"text_delta\",\"text\":\"" + text + "\"}}\n\n";
    }

    private HttpResponse<String> openAiClient(LlmTestData.Issued k, String model) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + k.key()).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"which key?\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> anthropicClient(LlmTestData.Issued k, String model) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/messages"))
                .header("x-api-key", k.key()).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":200,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"which key?\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> event(HttpResponse<String> r) {
        return UsageEvents.await(redis, r.headers().firstValue("x-acc-request-id").orElseThrow(), Duration.ofSeconds(5));
    }

    /** The answer text an OpenAI client assembles from the stream's deltas. */
    static String openAiText(String sse) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String d : LlmApiTest.dataLines(sse)) {
            if (!d.equals("[DONE]")) {
                text.append(Json.parse(d).path("choices").path(0).path("delta").path("content").asText(""));
            }
        }
        return text.toString();
    }

    static String anthropicAnswer(String sse) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String d : LlmApiTest.dataLines(sse)) {
            JsonNode e = Json.parse(d);
            if ("content_block_delta".equals(e.path("type").asText())) {
                text.append(e.path("delta").path("text").asText(""));
            }
        }
        return text.toString();
    }

    private static void awaitClosed(AtomicLong closedAt) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (closedAt.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertNotEquals(0, closedAt.get(), "the upstream call was not cancelled");
    }

    @Test
    void awsKeySplitAcrossTwoChunksIsBlockedBeforeAnyOfItIsSent() throws Exception {
        AtomicLong closedAt = new AtomicLong();
        try (RawUpstream upstream = new RawUpstream(openAi(List.of("Here it is. ", "Use " + KEY_HEAD, KEY_TAIL + " for that."),
                100, closedAt))) {
            String model = route("openai", "gpt-4o-mini", upstream.port());
            long t0 = System.nanoTime();
            HttpResponse<String> r = openAiClient(key, model); // default policy: response secrets = block
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, r.statusCode());
            String sse = r.body();
            assertFalse(sse.contains(KEY_HEAD), "no byte of the key: " + sse);
            assertFalse(sse.contains(KEY_TAIL), sse);
            assertFalse(sse.contains("AKIA"), sse);
            assertFalse(sse.contains("[DONE]"), "a blocked stream has no terminator: " + sse);
            assertFalse(sse.contains("more"), "nothing after the match reaches the client: " + sse);
            assertEquals("Here it is. ", openAiText(sse), "the text before the key went out");
            List<String> lines = LlmApiTest.dataLines(sse);
            JsonNode error = Json.parse(lines.get(lines.size() - 1)).path("error");
            assertEquals("security_policy_violation", error.path("code").asText(), sse);
            assertEquals("invalid_request_error", error.path("type").asText());
            assertTrue(error.path("message").asText().contains("detector aws-access-key (secrets) found in the streamed"
                    + " choices[0].delta.content"), error.toString());
            assertTrue(ms < 3000, "the stream ended at the match, not after the upstream's 4 s: " + ms + " ms");
            awaitClosed(closedAt);

            Map<String, String> e = event(r);
            assertEquals("refused", e.get("status"));
            assertEquals("security_policy_violation", e.get("error_code"));
            assertEquals("block", e.get("security_action"));
            assertEquals("response:aws-access-key", e.get("security_detectors"));
            assertTrue(Long.parseLong(e.get("output_tokens")) > 0, "the provider's tokens are billed: " + e);
            assertTrue(Long.parseLong(e.get("input_tokens")) > 0, e.toString());
            assertFalse(e.get("cost_usd").isEmpty(), "and priced: " + e);
            assertFalse(e.toString().contains(KEY_TAIL));
        }
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").asString();
        assertTrue(metrics.contains("acc_security_findings_total{action=\"block\",category=\"secrets\",detector=\"aws-access-key\","
                + "direction=\"response\"}"), "findings metric");
        assertTrue(metrics.contains("acc_security_scan_seconds_count{direction=\"response\",offloaded=\"false\"}"));
    }

    @Test
    void toolCallArgumentsAreScannedToo() throws Exception {
        try (RawUpstream upstream = new RawUpstream((line, out, socket) -> {
            RawUpstream.sseHead(out);
            String head = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,";
            RawUpstream.chunk(out, head + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"deploy\","
                    + "\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n");
            RawUpstream.chunk(out, head + "\"function\":{\"arguments\":\"{\\\"key\\\":\\\"" + KEY_HEAD + "\"}}]},\"finish_reason\":null}]}\n\n");
            RawUpstream.chunk(out, head + "\"function\":{\"arguments\":\"" + KEY_TAIL + "\\\"}\"}}]},\"finish_reason\":null}]}\n\n");
            RawUpstream.chunk(out, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
                    + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":30,\"total_tokens\":80}}\n\n");
            RawUpstream.chunk(out, "data: [DONE]\n\n");
            RawUpstream.lastChunk(out);
        })) {
            String model = route("openai", "gpt-4o-mini", upstream.port());
            HttpResponse<String> r = openAiClient(key, model);
            assertFalse(r.body().contains(KEY_HEAD), r.body());
            assertTrue(r.body().contains("\"code\":\"security_policy_violation\""), r.body());
            assertTrue(r.body().contains("choices[0].delta.tool_calls[0].function.arguments"), r.body());
            assertEquals("response:aws-access-key", event(r).get("security_detectors"));
        }
    }

    @Test
    void flagRecordsTheFindingWithoutChangingABit() throws Exception {
        List<String> pieces = List.of("Here it is. ", "Use " + KEY_HEAD, KEY_TAIL + " for that.");
        try (RawUpstream upstream = new RawUpstream(openAi(pieces, 3, null))) {
            String model = route("openai", "gpt-4o-mini", upstream.port());
            responseSecrets(key, "flag");
            LlmTestData.Issued unscanned = data.key();
            responseSecrets(unscanned, "off");
            HttpResponse<String> flagged = openAiClient(key, model);
            HttpResponse<String> plain = openAiClient(unscanned, model);
            assertEquals(plain.body(), flagged.body(), "flag changes no byte");
            assertTrue(flagged.body().contains(KEY_TAIL));
            assertEquals("Here it is. Use " + AWS_KEY + " for that. more0 more1 more2", openAiText(flagged.body()));
            Map<String, String> e = event(flagged);
            assertEquals("ok", e.get("status"));
            assertEquals("flag", e.get("security_action"));
            assertEquals("response:aws-access-key", e.get("security_detectors"), "recorded once, though rescanned");
            assertEquals("", event(plain).get("security_action"));
        }
    }

    @Test
    void redactReplacesTheSpanAcrossTheTwoChunks() throws Exception {
        try (RawUpstream upstream = new RawUpstream(openAi(List.of("Here it is. ", "Use " + KEY_HEAD, KEY_TAIL + " for that."),
                2, null))) {
            String model = route("openai", "gpt-4o-mini", upstream.port());
            responseSecrets(key, "redact");
            HttpResponse<String> r = openAiClient(key, model);
            assertFalse(r.body().contains(KEY_HEAD), r.body());
            assertFalse(r.body().contains(KEY_TAIL), r.body());
            assertEquals("Here it is. Use [REDACTED:aws-access-key] for that. more0 more1", openAiText(r.body()));
            assertTrue(r.body().endsWith("data: [DONE]\n\n"), "the stream ends normally");
            Map<String, String> e = event(r);
            assertEquals("ok", e.get("status"));
            assertEquals("redact", e.get("security_action"));
            assertEquals("response:aws-access-key", e.get("security_detectors"));
        }
    }

    @Test
    void anthropicStreamIsBlockedWithAnAnthropicErrorEvent() throws Exception {
        AtomicLong closedAt = new AtomicLong();
        try (RawUpstream upstream = new RawUpstream(anthropic(List.of("Here it is. ", "Use " + KEY_HEAD, KEY_TAIL + " ok"),
                100, closedAt))) {
            String model = route("anthropic", "claude-sonnet-4-5", upstream.port());
            HttpResponse<String> r = anthropicClient(key, model);
            String sse = r.body();
            assertFalse(sse.contains(KEY_HEAD), sse);
            assertFalse(sse.contains("more"), sse);
            assertFalse(sse.contains("message_stop"), sse);
            assertEquals("Here it is. ", anthropicAnswer(sse));
            assertTrue(sse.contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                    + "\"message\":\"The model's answer was blocked by security policy: detector aws-access-key (secrets) found"
                    + " in the streamed content[0].text."), sse);
            awaitClosed(closedAt);
            Map<String, String> e = event(r);
            assertEquals("refused", e.get("status"));
            assertEquals("block", e.get("security_action"));
            assertEquals("response:aws-access-key", e.get("security_detectors"));
            assertTrue(Long.parseLong(e.get("output_tokens")) > 0, e.toString());
        }
    }

    @Test
    void crossFormatStreamIsScannedAsTheClientReceivesIt() throws Exception {
        // An OpenAI client served by an Anthropic deployment: the translated chunks are what is scanned and redacted.
        try (RawUpstream upstream = new RawUpstream(anthropic(List.of("Here it is. ", "Use " + KEY_HEAD, KEY_TAIL + " ok"),
                2, null))) {
            String model = route("anthropic", "claude-sonnet-4-5", upstream.port());
            responseSecrets(key, "redact");
            HttpResponse<String> r = openAiClient(key, model);
            assertFalse(r.body().contains(KEY_HEAD), r.body());
            assertEquals("Here it is. Use [REDACTED:aws-access-key] ok more0 more1", openAiText(r.body()));
            assertTrue(r.body().endsWith("data: [DONE]\n\n"), r.body());
            assertEquals("redact", event(r).get("security_action"));
        }
        // And an Anthropic client served by an OpenAI deployment, blocked.
        try (RawUpstream upstream = new RawUpstream(openAi(List.of("Fine. ", "Use " + KEY_HEAD, KEY_TAIL), 50, null))) {
            String model = route("openai", "gpt-4o-mini", upstream.port());
            LlmTestData.Issued other = data.key();
            HttpResponse<String> r = anthropicClient(other, model);
            assertFalse(r.body().contains(KEY_HEAD), r.body());
            assertTrue(r.body().contains("event: error\n"), r.body());
            assertEquals("Fine. ", anthropicAnswer(r.body()));
            assertEquals("block", event(r).get("security_action"));
        }
    }

    @Test
    void cleanStreamIsByteIdenticalToAnUnscannedOneInBothFormats() throws Exception {
        List<String> pieces = List.of("Plain answer: ", "the API returns JSON, ", "see section 4.2 ", "and call ", "me ",
                "at noon; a sk", "etch of the plan follows.");
        LlmTestData.Issued unscanned = data.key();
        responseSecrets(unscanned, "off");
        try (RawUpstream upstream = new RawUpstream(openAi(pieces, 3, null))) {
            String model = route("openai", "gpt-4o-mini", upstream.port());
            HttpResponse<String> scanned = openAiClient(key, model);
            HttpResponse<String> plain = openAiClient(unscanned, model);
            assertEquals(plain.body(), scanned.body());
            assertEquals(String.join("", pieces) + " more0 more1 more2", openAiText(scanned.body()));
            assertEquals("", event(scanned).get("security_action"));
        }
        try (RawUpstream upstream = new RawUpstream(anthropic(pieces, 3, null))) {
            String model = route("anthropic", "claude-sonnet-4-5", upstream.port());
            HttpResponse<String> scanned = anthropicClient(key, model);
            HttpResponse<String> plain = anthropicClient(unscanned, model);
            assertEquals(plain.body(), scanned.body());
            assertEquals("", event(scanned).get("security_action"));
        }
    }
}
