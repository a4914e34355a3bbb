package com.agentcostcontrol.proxy.llm;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.llm.routing.ProxyRouting;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/** Streams under stress: no buffering, failures mid-stream, client disconnects, and 1,000 streams at once. */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class StreamRobustnessTest {

    @Inject
    DataSource dataSource;
    @Inject
    ProxyRouting routing;
    @Inject
    RedisDataSource redis;
    @Inject
    Vertx vertx;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    LlmTestData data;
    LlmTestData.Issued key;

    @BeforeEach
    void setUp() {
        data = new LlmTestData(dataSource);
        key = data.key();
    }

    private void route(String model, int upstreamPort) {
        data.deployment(model + "-dep", "openai", "gpt-4o-mini", "http://127.0.0.1:" + upstreamPort + "/v1", "sk-raw");
        data.route(model, List.of(model + "-dep"), List.of());
        assertTrue(routing.reload());
    }

    private String streamBody(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    }

    @Test
    void firstChunkReachesTheClientBeforeTheUpstreamFinishes() throws Exception {
        try (RawUpstream upstream = new RawUpstream((line, out, socket) -> {
            RawUpstream.sseHead(out);
            RawUpstream.chunk(out, RawUpstream.openAiChunk("first", null));
            Thread.sleep(1000);
            RawUpstream.chunk(out, RawUpstream.openAiChunk(" second", "stop"));
            RawUpstream.chunk(out, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n");
            RawUpstream.chunk(out, "data: [DONE]\n\n");
            RawUpstream.lastChunk(out);
        })) {
            route("rb-slow", upstream.port());
            HttpClient client = HttpClient.newHttpClient();
            // Warm the client and the proxy's code paths so the timing measures the relay, not class loading.
            client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key.key()).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(streamBody("mock-small"))).build(), HttpResponse.BodyHandlers.ofString());
            long start = System.nanoTime();
            HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key.key()).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(streamBody("rb-slow"))).build(), HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            long firstMs = -1;
            long secondMs = -1;
            List<String> data = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    if (firstMs < 0) {
                        firstMs = (System.nanoTime() - start) / 1_000_000;
                    } else if (secondMs < 0) {
                        secondMs = (System.nanoTime() - start) / 1_000_000;
                    }
                    data.add(line.substring(6));
                }
            }
            long totalMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(firstMs < 700, "first chunk after " + firstMs + " ms: the relay buffered");
            assertTrue(secondMs - firstMs >= 800, "chunks 1 and 2 arrived " + (secondMs - firstMs) + " ms apart");
            assertTrue(totalMs >= 1000, "stream finished after " + totalMs + " ms");
            assertEquals(3, data.size(), "content chunks + [DONE], usage chunk stripped: " + data);
            assertEquals("[DONE]", data.get(2));
            Map<String, String> event = UsageEvents.await(redis, response.headers().firstValue("x-acc-request-id").orElseThrow(),
                    Duration.ofSeconds(5));
            assertEquals("ok", event.get("status"));
            assertTrue(Long.parseLong(event.get("ttft_ms")) < 500, "ttft " + event.get("ttft_ms"));
            assertTrue(Long.parseLong(event.get("latency_ms")) >= 1000);
        }
    }

    @Test
    void upstreamFailureMidStreamBecomesAnErrorEventNotASilentEnd() throws Exception {
        try (RawUpstream upstream = new RawUpstream((line, out, socket) -> {
            RawUpstream.sseHead(out);
            RawUpstream.chunk(out, RawUpstream.openAiChunk("partial answer", null));
            RawUpstream.chunk(out, RawUpstream.openAiChunk(" more", null));
            socket.close();
        })) {
            route("rb-cut", upstream.port());
            io.restassured.response.Response r = given().header("Authorization", "Bearer " + key.key())
                    .contentType("application/json").body(streamBody("rb-cut")).post("/v1/chat/completions");
            List<String> data = LlmApiTest.dataLines(r.asString());
            JsonNode last = Json.parse(data.get(data.size() - 1));
            assertTrue(last.has("error"), "last event is an error: " + data);
            assertFalse(data.contains("[DONE]"));
            assertEquals("partial answer", Json.parse(data.get(0)).path("choices").path(0).path("delta").path("content").asText());
            Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
            assertEquals("stream_error", event.get("status"));
            assertEquals("true", event.get("tokens_estimated"));
            assertTrue(Long.parseLong(event.get("output_tokens")) > 0);
        }

        // The same through the mock, for an Anthropic client: an `event: error`.
        io.restassured.response.Response m = given().header("x-api-key", key.key()).header("x-acc-mock", "cut-after=4,words=30")
                .contentType("application/json")
                .body("{\"model\":\"mock-small\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}")
                .post("/v1/messages");
        String sse = m.asString();
        assertTrue(sse.contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\""), sse);
        assertFalse(sse.contains("message_stop"));
        assertEquals("stream_error", UsageEvents.await(redis, m.header("x-acc-request-id"), Duration.ofSeconds(5)).get("status"));
    }

    @Test
    void clientDisconnectCancelsTheUpstreamAndBillsWhatWasProduced() throws Exception {
        AtomicLong upstreamClosedAt = new AtomicLong();
        try (RawUpstream upstream = new RawUpstream((line, out, socket) -> {
            RawUpstream.sseHead(out);
            try {
                for (int i = 0; i < 100; i++) {
                    RawUpstream.chunk(out, RawUpstream.openAiChunk("word" + i + " and more text ", null));
                    Thread.sleep(50);
                }
                RawUpstream.chunk(out, "data: [DONE]\n\n");
                RawUpstream.lastChunk(out);
            } catch (java.io.IOException e) {
                upstreamClosedAt.set(System.nanoTime());
                throw e;
            }
        })) {
            route("rb-disconnect", upstream.port());
            String body = streamBody("rb-disconnect");
            String requestId;
            long closedAt;
            try (Socket s = new Socket("localhost", port)) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key.key()
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                        + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader reader = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                requestId = null;
                int dataLines = 0;
                String line;
                while ((line = reader.readLine()) != null && dataLines < 3) {
                    if (line.toLowerCase().startsWith("x-acc-request-id:")) {
                        requestId = line.substring(17).trim();
                    }
                    if (line.startsWith("data: ")) {
                        dataLines++;
                    }
                }
                closedAt = System.nanoTime();
            }
            Map<String, String> event = UsageEvents.await(redis, requestId, Duration.ofSeconds(5));
            assertEquals("client_disconnected", event.get("status"));
            assertEquals("true", event.get("tokens_estimated"));
            long output = Long.parseLong(event.get("output_tokens"));
            assertTrue(output > 0 && output < 400, "partial output billed: " + output);
            assertTrue(Long.parseLong(event.get("input_tokens")) > 0, "input estimated");
            assertFalse(event.get("cost_usd").isEmpty(), "partial call priced");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (upstreamClosedAt.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(upstreamClosedAt.get() != 0, "the upstream call was not cancelled");
            assertTrue((upstreamClosedAt.get() - closedAt) / 1_000_000 < 2000);
        }
    }

    @Test
    void clientDisconnectBeforeTheProviderAnswersAbortsTheUpstreamRequest() throws Exception {
        AtomicLong upstreamClosedAt = new AtomicLong();
        try (RawUpstream upstream = new RawUpstream((line, out, socket) -> {
            // A provider still "thinking": it answers nothing and only notices when the proxy gives up on it.
            socket.setSoTimeout(10_000);
            try {
                if (socket.getInputStream().read() < 0) {
                    upstreamClosedAt.set(System.nanoTime());
                }
            } catch (java.io.IOException e) {
                upstreamClosedAt.set(System.nanoTime()); // reset by the proxy
            }
        })) {
            route("rb-thinking", upstream.port());
            String body = "{\"model\":\"rb-thinking\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
            long closedAt;
            try (Socket s = new Socket("localhost", port)) {
                s.getOutputStream().write(request(key.key(), body));
                s.getOutputStream().flush();
                Thread.sleep(500); // the proxy has sent the call upstream and waits for its answer
                closedAt = System.nanoTime();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (upstreamClosedAt.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(upstreamClosedAt.get() != 0, "the upstream request was not aborted (the deployment timeout is 5 s)");
            long ms = (upstreamClosedAt.get() - closedAt) / 1_000_000;
            assertTrue(ms < 2000, "upstream aborted " + ms + " ms after the client left");
        }
    }

    @Test
    void aRefusalBeforeTheBodyWasReadKeepsTheConnectionUsable() throws Exception {
        String big = "{\"model\":\"mock-small\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(20_000) + "\"}]}";
        String ok = "{\"model\":\"mock-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
            out.write(request("sk-acc-" + "0".repeat(43), big));
            out.flush();
            assertEquals(401, readResponse(in));
            out.write(request(key.key(), ok));
            out.flush();
            assertEquals(200, readResponse(in));
        }
    }

    private static byte[] request(String key, String body) {
        return ("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns its status. */
    @SuppressWarnings("deprecation")
    private static int readResponse(java.io.DataInputStream in) throws java.io.IOException {
        String status = in.readLine();
        int length = 0;
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readFully(new byte[length]);
        return Integer.parseInt(status.split(" ")[1]);
    }

    @Test
    void clientGoneBeforeANonStreamingAnswerIsRecordedAsDisconnected() throws Exception {
        String body = "{\"model\":\"mock-small\",\"messages\":[{\"role\":\"user\",\"content\":\"slow one\"}]}";
        try (Socket s = new Socket("localhost", port)) {
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key.key()
                    + "\r\nx-acc-mock: delay=1500ms\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            Thread.sleep(300);
        }
        // The request id was never sent (no answer): find the event by its key and status.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Map<String, String> found = null;
        while (found == null && System.nanoTime() < deadline) {
            for (StreamMessage<String, String, String> m : redis.stream(String.class).xrange("acc:usage", StreamRange.of("-", "+"))) {
                if (key.keyId().toString().equals(m.payload().get("key_id"))) {
                    found = m.payload();
                }
            }
            Thread.sleep(50);
        }
        assertTrue(found != null, "no usage event for the abandoned call");
        assertEquals("client_disconnected", found.get("status"));
        assertEquals("true", found.get("tokens_estimated"));
        assertTrue(Long.parseLong(found.get("input_tokens")) > 0);
        assertEquals("0", found.get("output_tokens"));
    }

    @Test
    void thousandConcurrentStreamsCompleteWithEveryByteAndOneUsageEventEach() throws Exception {
        int streams = 1000;
        Map<Integer, String> expected = new ConcurrentHashMap<>();
        for (int p = 0; p < 10; p++) {
            expected.put(p, given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                    .body(prompt(p, false)).post("/v1/chat/completions").then().statusCode(200)
                    .extract().path("choices[0].message.content"));
        }
        io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port)
                .setDefaultHost("localhost"), new PoolOptions().setHttp1MaxSize(streams));
        try {
            List<CompletableFuture<String[]>> results = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < streams; i++) {
                int p = i % 10;
                results.add(client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
                        .putHeader("Authorization", "Bearer " + key.key()).putHeader("content-type", "application/json")
                        .putHeader("x-acc-mock", "chunk-delay=20ms"))
                        .compose(req -> req.send(Buffer.buffer(prompt(p, true))))
                        .compose(resp -> resp.body().map(b -> new String[] { resp.getHeader("x-acc-request-id"), b.toString(), "" + p }))
                        .toCompletionStage().toCompletableFuture());
            }
            CompletableFuture.allOf(results.toArray(new CompletableFuture[0])).get(90, TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            System.out.println("1000 concurrent streams relayed in " + tookMs + " ms");
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<String[]> f : results) {
                String[] r = f.get();
                ids.add(r[0]);
                List<String> data = LlmApiTest.dataLines(r[1]);
                assertEquals("[DONE]", data.get(data.size() - 1));
                StringBuilder text = new StringBuilder();
                for (String d : data.subList(0, data.size() - 1)) {
                    text.append(Json.parse(d).path("choices").path(0).path("delta").path("content").asText(""));
                }
                assertEquals(expected.get(Integer.parseInt(r[2])), text.toString(), "stream " + r[0] + " lost or mixed bytes");
            }
            assertEquals(streams, ids.size());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Map<String, Integer> counts = new java.util.HashMap<>();
            while (System.nanoTime() < deadline) {
                counts.clear();
                for (StreamMessage<String, String, String> m : redis.stream(String.class).xrange("acc:usage", StreamRange.of("-", "+"))) {
                    String id = m.payload().get("request_id");
                    if (ids.contains(id)) {
                        counts.merge(id, 1, Integer::sum);
                    }
                }
                if (counts.size() == streams) {
                    break;
                }
                Thread.sleep(100);
            }
            System.out.println("usage events of 1000 streams checked after " + (System.nanoTime() - start) / 1_000_000 + " ms");
            assertEquals(streams, counts.size(), "usage events");
            assertTrue(counts.values().stream().allMatch(c -> c == 1), "exactly one usage event per stream");
            assertTrue(tookMs < 60_000, "1000 streams took " + tookMs + " ms");
        } finally {
            client.close();
        }
    }

    private static String prompt(int p, boolean stream) {
        return "{\"model\":\"mock-small\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"prompt number " + p + "\"}]}";
    }

}
