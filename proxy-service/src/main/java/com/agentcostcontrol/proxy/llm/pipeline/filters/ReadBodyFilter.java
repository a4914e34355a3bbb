package com.agentcostcontrol.proxy.llm.pipeline.filters;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.llm.Endpoint;
import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.provider.mock.MockDirectives;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Filter 3, {@code read-body}: reads the request body (capped at {@code acc.proxy.llm.max-body-bytes},
 * 413 beyond) and parses it once into a JSON tree every later filter shares. Extracts the model,
 * {@code stream}, {@code stream_options.include_usage}, the agent ({@code x-acc-agent-id} header,
 * else {@code metadata.acc_agent_id}) and mock directives ({@code x-acc-mock} header, else
 * {@code metadata.acc_mock}); the {@code acc_*} metadata keys are removed so no provider sees them.
 * The only filter that reads the body; 400 for a body that is not a JSON object or has no model.
 */
@ApplicationScoped
public class ReadBodyFilter implements CallFilter {

    public static final String AGENT_HEADER = "x-acc-agent-id";
    public static final String MOCK_HEADER = "x-acc-mock";

    private final int maxBytes;

    public ReadBodyFilter(ProxyConfig config) {
        this.maxBytes = config.llm().maxBodyBytes();
    }

    @Override
    public String name() {
        return "read-body";
    }

    @Override
    public boolean needsBody() {
        return false;
    }

    @Override
    public FailurePolicy onFailure() {
        return FailurePolicy.FAIL_CLOSED;
    }

    @Override
    public Future<Void> apply(LlmCall call) {
        return read(call.exchange.request()).compose(body -> {
            parse(call, body);
            return Future.<Void>succeededFuture();
        });
    }

    private Future<Buffer> read(HttpServerRequest request) {
        if ("100-continue".equalsIgnoreCase(request.getHeader("expect"))) {
            // curl and some HTTP libraries wait for this before sending a large body; the key was checked already.
            request.response().writeContinue();
        }
        String length = request.getHeader("content-length");
        if (length != null) {
            try {
                if (Long.parseLong(length) > maxBytes) {
                    return Future.failedFuture(tooLarge());
                }
            } catch (NumberFormatException e) {
                return Future.failedFuture(new Refusal(400, "invalid_request", "Invalid Content-Length header."));
            }
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer(length == null ? 1024 : (int) Math.min(Long.parseLong(length), maxBytes));
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxBytes) {
                promise.tryFail(tooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(promise::tryFail);
        request.endHandler(v -> promise.tryComplete(body));
        request.resume();
        return promise.future();
    }

    private Refusal tooLarge() {
        return new Refusal(413, "request_too_large", "The request body exceeds " + maxBytes
                + " bytes; send less context or raise acc.proxy.llm.max-body-bytes.");
    }

    static void parse(LlmCall call, Buffer raw) {
        JsonNode tree;
        try {
            tree = raw.length() == 0 ? null : Json.parse(raw);
        } catch (IOException e) {
            throw new Refusal(400, "invalid_json", "The request body is not valid JSON: fix the JSON syntax.");
        }
        if (!(tree instanceof ObjectNode body)) {
            throw new Refusal(400, "invalid_request", "The request body must be a JSON object.");
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw new Refusal(400, "missing_model", "The field 'model' is required: name the model to call.");
        }
        call.body = body;
        call.requestedModel = model.asText();
        if (call.endpoint.generates()) {
            call.stream = body.path("stream").asBoolean(false);
            call.clientWantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        }
        HttpServerRequest request = call.exchange.request();
        String agent = request.getHeader(AGENT_HEADER);
        String mock = request.getHeader(MOCK_HEADER);
        JsonNode metadata = body.get("metadata");
        if (metadata instanceof ObjectNode meta) {
            if (agent == null && meta.path("acc_agent_id").isTextual()) {
                agent = meta.get("acc_agent_id").asText();
            }
            if (mock == null && meta.path("acc_mock").isTextual()) {
                mock = meta.get("acc_mock").asText();
            }
            meta.remove("acc_agent_id");
            meta.remove("acc_mock");
            if (meta.isEmpty()) {
                body.remove("metadata");
            }
        }
        if (agent != null && !agent.isBlank()) {
            call.agentId = agent.length() > 200 ? agent.substring(0, 200) : agent;
        }
        call.mock = MockDirectives.parse(mock);
        if (call.endpoint == Endpoint.EMBEDDINGS && !body.has("input")) {
            throw new Refusal(400, "missing_input", "The field 'input' is required for embeddings.");
        }
        if (call.endpoint == Endpoint.MESSAGES && !body.path("messages").isArray()) {
            throw new Refusal(400, "invalid_request", "The field 'messages' is required and must be an array.");
        }
        if (call.endpoint == Endpoint.CHAT_COMPLETIONS && !body.path("messages").isArray()) {
            throw new Refusal(400, "invalid_request", "The field 'messages' is required and must be an array.");
        }
    }
}
