package com.agentcostcontrol.proxy.llm.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Fake LLM providers for routing tests: one Vert.x HTTP server; the first path segment names the
 * stub ({@code /<stub>/v1/chat/completions}, {@code /<stub>/v1/messages}), whose behaviour the test
 * sets and may change between calls. Every request is recorded in arrival order (stub, path, body),
 * so a test can assert which deployment was tried in which order.
 */
final class StubUpstreams implements AutoCloseable {

    /** What a stub does with a request. */
    sealed interface Behaviour permits Ok, Status, Hang, StreamDiesBeforeFirstByte {
    }

    /** A successful answer in the request path's format (OpenAI or Anthropic), streamed if asked, after a delay. */
    record Ok(String text, long delayMs) implements Behaviour {
    }

    /** An error status with headers and body. */
    record Status(int status, Map<String, String> headers, String body) implements Behaviour {
    }

    /** Never answers (the proxy's per-deployment timeout must fire). */
    record Hang() implements Behaviour {
    }

    /** Answers 200 text/event-stream, then drops the connection before any event. */
    record StreamDiesBeforeFirstByte() implements Behaviour {
    }

    record Hit(String stub, String path, JsonObject body) {
    }

    static Ok ok(String text) {
        return new Ok(text, 0);
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<Hit> hits = new CopyOnWriteArrayList<>();

    StubUpstreams() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    /** Base URL of a stub for an OpenAI-format deployment (…/v1) — Anthropic deployments take {@link #anthropicBase}. */
    String openAiBase(String stub) {
        return "http://127.0.0.1:" + port() + "/" + stub + "/v1";
    }

    String anthropicBase(String stub) {
        return "http://127.0.0.1:" + port() + "/" + stub;
    }

    StubUpstreams set(String stub, Behaviour behaviour) {
        behaviours.put(stub, behaviour);
        return this;
    }

    /** The stubs hit since the last {@link #clear()}, in order. */
    List<String> order() {
        List<String> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.stub()));
        return out;
    }

    List<Hit> hits() {
        return List.copyOf(hits);
    }

    long count(String stub) {
        return hits.stream().filter(h -> h.stub().equals(stub)).count();
    }

    void clear() {
        hits.clear();
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        String stub = path.length() > 1 ? path.substring(1, path.indexOf('/', 1) < 0 ? path.length() : path.indexOf('/', 1)) : "";
        request.body().onSuccess(buffer -> {
            JsonObject body = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
            hits.add(new Hit(stub, path, body));
            Behaviour b = behaviours.getOrDefault(stub, new Status(404, Map.of(), "{\"error\":{\"message\":\"no stub " + stub + "\"}}"));
            boolean anthropic = path.endsWith("/messages");
            boolean stream = body.getBoolean("stream", false);
            if (b instanceof Ok ok) {
                if (ok.delayMs() > 0) {
                    vertx.setTimer(ok.delayMs(), t -> answer(request, ok.text(), anthropic, stream, body));
                } else {
                    answer(request, ok.text(), anthropic, stream, body);
                }
            } else if (b instanceof Status s) {
                request.response().setStatusCode(s.status()).putHeader("content-type", "application/json");
                s.headers().forEach(request.response()::putHeader);
                request.response().end(s.body());
            } else if (b instanceof StreamDiesBeforeFirstByte) {
                request.response().setStatusCode(200).putHeader("content-type", "text/event-stream").setChunked(true);
                request.response().write("").onComplete(w -> vertx.setTimer(50, t -> request.connection().close()));
            }
            // Hang: hold the exchange open; the proxy gives up after the deployment's timeout.
        });
    }

    private static void answer(HttpServerRequest request, String text, boolean anthropic, boolean stream, JsonObject body) {
        String model = body.getString("model", "unknown");
        if (stream) {
            request.response().setStatusCode(200).putHeader("content-type", "text/event-stream");
            request.response().end(anthropic ? anthropicStream(model, text) : openAiStream(model, text));
            return;
        }
        JsonObject out = anthropic
                ? new JsonObject().put("id", "msg_stub").put("type", "message").put("role", "assistant").put("model", model)
                        .put("content", new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "text").put("text", text)))
                        .put("stop_reason", "end_turn").putNull("stop_sequence")
                        .put("usage", new JsonObject().put("input_tokens", 10).put("output_tokens", 5))
                : new JsonObject().put("id", "chatcmpl-stub").put("object", "chat.completion").put("created", 1).put("model", model)
                        .put("choices", new io.vertx.core.json.JsonArray().add(new JsonObject().put("index", 0)
                                .put("message", new JsonObject().put("role", "assistant").put("content", text))
                                .put("finish_reason", "stop")))
                        .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15));
        request.response().setStatusCode(200).putHeader("content-type", "application/json").end(out.encode());
    }

    private static String openAiStream(String model, String text) {
        String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model + "\",";
        return "data: " + chunk + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + text
                + "\"},\"finish_reason\":null}]}\n\n"
                + "data: " + chunk + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: " + chunk + "\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}\n\n"
                + "data: [DONE]\n\n";
    }

    private static String anthropicStream(String model, String text) {
        return "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
                + model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
                + text + "\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
