package com.agentcostcontrol.proxy.llm.provider.mock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.proxy.llm.provider.Operation;
import com.agentcostcontrol.proxy.llm.provider.ProviderAdapter;
import com.agentcostcontrol.proxy.llm.provider.UpstreamRequest;
import com.agentcostcontrol.proxy.llm.provider.UpstreamResponse;
import com.agentcostcontrol.proxy.llm.usage.TokenEstimator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The built-in {@code mock} provider (models {@code mock-small}, {@code mock-large}), in process so
 * the quickstart works offline and tests and benchmarks have an upstream with no network cost.
 * It speaks whichever format the client speaks: OpenAI chat completions (n, tools, response_format,
 * stream with {@code stream_options.include_usage}), embeddings (float or base64), Anthropic
 * messages (tools, thinking, stream) and count_tokens. Answers are deterministic (see
 * {@link MockAnswer}); usage numbers are real counts of what it produced. Steered per call by
 * {@link MockDirectives}.
 */
@ApplicationScoped
public class MockProvider implements ProviderAdapter {

    private static final int WORDS_PER_CHUNK = 3;
    private static final int DEFAULT_DIMENSIONS = 64;

    private final Vertx vertx;

    public MockProvider(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Set<String> providers() {
        return Set.of("mock");
    }

    @Override
    public ApiFormat format(ApiFormat inbound) {
        return inbound;
    }

    @Override
    public boolean supports(Operation operation) {
        return true;
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        Context context = vertx.getOrCreateContext();
        MockDirectives d = request.mock() == null ? MockDirectives.NONE : request.mock();
        Promise<UpstreamResponse> promise = Promise.promise();
        Runnable answer = () -> {
            try {
                promise.complete(build(context, request, d));
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        };
        if (d.delayMs() > 0) {
            vertx.setTimer(d.delayMs(), id -> answer.run());
        } else {
            answer.run();
        }
        return promise.future();
    }

    private UpstreamResponse build(Context context, UpstreamRequest request, MockDirectives d) {
        boolean anthropic = request.format() == ApiFormat.ANTHROPIC;
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (d.failStatus() >= 400) {
            if (d.failStatus() == 429) {
                headers.add("retry-after", "1");
            }
            String message = "mock provider failing with " + d.failStatus() + " as asked by x-acc-mock";
            ObjectNode err = anthropic ? anthropicError(d.failStatus(), message) : openAiError(d.failStatus(), message);
            return single(context, d.failStatus(), headers, Json.buffer(err), d);
        }
        String model = request.body().path("model").asText(request.target().model());
        JsonNode body = request.body();
        headers.add("content-type", request.stream() ? "text/event-stream" : "application/json");
        switch (request.operation()) {
            case EMBED:
                return single(context, 200, headers, Json.buffer(embeddings(model, body)), d);
            case COUNT_TOKENS:
                return single(context, 200, headers,
                        Json.buffer(Json.object().put("input_tokens", TokenEstimator.ofRequest(body))), d);
            default:
                break;
        }
        MockAnswer a = MockAnswer.of(model, body, anthropic, d);
        String id = Long.toHexString(MockAnswer.fnv(model + body.toString().length() + System.nanoTime()));
        if (!request.stream()) {
            ObjectNode out = anthropic ? anthropicMessage(id, model, a) : openAiCompletion(id, model, a);
            return single(context, 200, headers, Json.buffer(out), d);
        }
        List<Buffer> events = anthropic ? anthropicEvents(id, model, a)
                : openAiChunks(id, model, a, body.path("stream_options").path("include_usage").asBoolean(false));
        MockStream stream = new MockStream(context, events, d.chunkDelayMs(), d.cutAfter());
        return new UpstreamResponse(200, headers, stream, stream::cancel);
    }

    private static UpstreamResponse single(Context context, int status, MultiMap headers, Buffer body, MockDirectives d) {
        MockStream stream = new MockStream(context, List.of(body), 0, -1);
        return new UpstreamResponse(status, headers, stream, stream::cancel);
    }

    // ------------------------------------------------------------------ OpenAI

    private static ObjectNode openAiCompletion(String id, String model, MockAnswer a) {
        ObjectNode out = Json.object();
        out.put("id", "chatcmpl-mock" + id);
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", model);
        ArrayNode choices = out.putArray("choices");
        for (int i = 0; i < a.choices.size(); i++) {
            ObjectNode c = choices.addObject();
            c.put("index", i);
            ObjectNode msg = c.putObject("message");
            msg.put("role", "assistant");
            String[] tool = a.toolCalls.get(i);
            if (tool != null) {
                msg.putNull("content");
                ObjectNode call = msg.putArray("tool_calls").addObject();
                call.put("id", "call_mock" + id + i);
                call.put("type", "function");
                call.putObject("function").put("name", tool[0]).put("arguments", tool[1]);
            } else {
                msg.put("content", a.choices.get(i));
            }
            msg.putNull("refusal");
            c.putNull("logprobs");
            c.put("finish_reason", tool != null ? "tool_calls" : "stop");
        }
        out.set("usage", openAiUsage(a));
        out.put("system_fingerprint", "fp_acc_mock");
        return out;
    }

    private static ObjectNode openAiUsage(MockAnswer a) {
        ObjectNode u = Json.object();
        u.put("prompt_tokens", a.promptTokens);
        u.put("completion_tokens", a.completionTokens);
        u.put("total_tokens", a.promptTokens + a.completionTokens);
        u.putObject("prompt_tokens_details").put("cached_tokens", a.cachedTokens).put("audio_tokens", 0);
        u.putObject("completion_tokens_details").put("reasoning_tokens", a.reasoningTokens).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return u;
    }

    private static List<Buffer> openAiChunks(String id, String model, MockAnswer a, boolean includeUsage) {
        List<Buffer> out = new ArrayList<>();
        long created = System.currentTimeMillis() / 1000;
        for (int i = 0; i < a.choices.size(); i++) {
            ObjectNode first = chunk(id, model, created, includeUsage);
            ObjectNode delta = choice(first, i);
            delta.put("role", "assistant");
            String[] tool = a.toolCalls.get(i);
            if (tool != null) {
                delta.putNull("content");
                ObjectNode call = delta.putArray("tool_calls").addObject();
                call.put("index", 0).put("id", "call_mock" + id + i).put("type", "function");
                call.putObject("function").put("name", tool[0]).put("arguments", "");
                out.add(data(first));
                for (String piece : pieces(tool[1], 16)) {
                    ObjectNode c = chunk(id, model, created, includeUsage);
                    choice(c, i).putArray("tool_calls").addObject().put("index", 0)
                            .putObject("function").put("arguments", piece);
                    out.add(data(c));
                }
            } else {
                delta.put("content", "");
                out.add(data(first));
                for (String piece : wordChunks(a.choices.get(i))) {
                    ObjectNode c = chunk(id, model, created, includeUsage);
                    choice(c, i).put("content", piece);
                    out.add(data(c));
                }
            }
            ObjectNode last = chunk(id, model, created, includeUsage);
            choice(last, i);
            ((ObjectNode) last.get("choices").get(0)).put("finish_reason", tool != null ? "tool_calls" : "stop");
            out.add(data(last));
        }
        if (includeUsage) {
            ObjectNode u = Json.object();
            u.put("id", "chatcmpl-mock" + id).put("object", "chat.completion.chunk").put("created", created)
                    .put("model", model).put("system_fingerprint", "fp_acc_mock");
            u.putArray("choices");
            u.set("usage", openAiUsage(a));
            out.add(data(u));
        }
        out.add(Buffer.buffer("data: [DONE]\n\n"));
        return out;
    }

    private static ObjectNode chunk(String id, String model, long created, boolean includeUsage) {
        ObjectNode c = Json.object();
        c.put("id", "chatcmpl-mock" + id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model).put("system_fingerprint", "fp_acc_mock");
        c.putArray("choices");
        if (includeUsage) {
            c.putNull("usage");
        }
        return c;
    }

    /** Adds choice {@code index} with an empty delta to the chunk and returns the delta. */
    private static ObjectNode choice(ObjectNode chunk, int index) {
        ObjectNode c = ((ArrayNode) chunk.get("choices")).addObject();
        c.put("index", index);
        ObjectNode delta = c.putObject("delta");
        c.putNull("logprobs");
        c.putNull("finish_reason");
        return delta;
    }

    private static Buffer data(JsonNode json) {
        return Buffer.buffer("data: " + Json.string(json) + "\n\n");
    }

    private static ObjectNode openAiError(int status, String message) {
        ObjectNode e = Json.object();
        e.putObject("error").put("message", message)
                .put("type", status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error")
                .putNull("param").put("code", "mock_failure");
        return e;
    }

    private static ObjectNode embeddings(String model, JsonNode body) {
        JsonNode input = body.path("input");
        List<String> inputs = new ArrayList<>();
        if (input.isArray()) {
            for (JsonNode i : input) {
                inputs.add(i.isTextual() ? i.asText() : i.toString());
            }
        } else {
            inputs.add(input.asText());
        }
        int dims = body.path("dimensions").asInt(DEFAULT_DIMENSIONS);
        dims = Math.max(1, Math.min(4096, dims));
        boolean base64 = "base64".equals(body.path("encoding_format").asText());
        ObjectNode out = Json.object();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        long tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String text = inputs.get(i);
            tokens += Math.max(1, TokenEstimator.ofText(text));
            float[] v = vector(text, dims);
            ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(4 * dims).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    bytes.putFloat(f);
                }
                e.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode arr = e.putArray("embedding");
                for (float f : v) {
                    arr.add(f);
                }
            }
        }
        out.put("model", model);
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return out;
    }

    /** A unit vector seeded by the text: equal texts embed equally. */
    static float[] vector(String text, int dims) {
        float[] v = new float[dims];
        long x = MockAnswer.fnv(text) | 1;
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            v[i] = (float) ((x >>> 11) * 0x1.0p-53 * 2 - 1);
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm == 0 ? 1 : norm));
        for (int i = 0; i < dims; i++) {
            v[i] *= scale;
        }
        return v;
    }

    // ------------------------------------------------------------------ Anthropic

    private static ObjectNode anthropicMessage(String id, String model, MockAnswer a) {
        ObjectNode out = Json.object();
        out.put("id", "msg_mock" + id);
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", model);
        ArrayNode content = out.putArray("content");
        if (a.thinking != null) {
            content.addObject().put("type", "thinking").put("thinking", a.thinking).put("signature", "mock-signature-" + id);
        }
        String[] tool = a.toolCalls.get(0);
        if (tool != null) {
            ObjectNode use = content.addObject().put("type", "tool_use").put("id", "toolu_mock" + id).put("name", tool[0]);
            use.set("input", parse(tool[1]));
        } else {
            content.addObject().put("type", "text").put("text", a.choices.get(0));
        }
        out.put("stop_reason", tool != null ? "tool_use" : "end_turn");
        out.putNull("stop_sequence");
        ObjectNode usage = out.putObject("usage");
        usage.put("input_tokens", a.promptTokens - a.cachedTokens);
        usage.put("cache_creation_input_tokens", 0);
        usage.put("cache_read_input_tokens", a.cachedTokens);
        usage.put("output_tokens", a.completionTokens);
        return out;
    }

    private static List<Buffer> anthropicEvents(String id, String model, MockAnswer a) {
        List<Buffer> out = new ArrayList<>();
        ObjectNode start = Json.object().put("type", "message_start");
        ObjectNode msg = start.putObject("message");
        msg.put("id", "msg_mock" + id).put("type", "message").put("role", "assistant").put("model", model);
        msg.putArray("content");
        msg.putNull("stop_reason");
        msg.putNull("stop_sequence");
        msg.putObject("usage").put("input_tokens", a.promptTokens - a.cachedTokens).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", a.cachedTokens).put("output_tokens", 1);
        out.add(event("message_start", start));
        out.add(event("ping", Json.object().put("type", "ping")));
        int index = 0;
        if (a.thinking != null) {
            ObjectNode bs = Json.object().put("type", "content_block_start").put("index", index);
            bs.putObject("content_block").put("type", "thinking").put("thinking", "");
            out.add(event("content_block_start", bs));
            for (String piece : wordChunks(a.thinking)) {
                ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", index);
                delta.putObject("delta").put("type", "thinking_delta").put("thinking", piece);
                out.add(event("content_block_delta", delta));
            }
            ObjectNode sig = Json.object().put("type", "content_block_delta").put("index", index);
            sig.putObject("delta").put("type", "signature_delta").put("signature", "mock-signature-" + id);
            out.add(event("content_block_delta", sig));
            out.add(event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", index)));
            index++;
        }
        String[] tool = a.toolCalls.get(0);
        ObjectNode bs = Json.object().put("type", "content_block_start").put("index", index);
        if (tool != null) {
            bs.putObject("content_block").put("type", "tool_use").put("id", "toolu_mock" + id).put("name", tool[0])
                    .putObject("input");
            out.add(event("content_block_start", bs));
            for (String piece : pieces(tool[1], 16)) {
                ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", index);
                delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
                out.add(event("content_block_delta", delta));
            }
        } else {
            bs.putObject("content_block").put("type", "text").put("text", "");
            out.add(event("content_block_start", bs));
            for (String piece : wordChunks(a.choices.get(0))) {
                ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", index);
                delta.putObject("delta").put("type", "text_delta").put("text", piece);
                out.add(event("content_block_delta", delta));
            }
        }
        out.add(event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", index)));
        ObjectNode md = Json.object().put("type", "message_delta");
        md.putObject("delta").put("stop_reason", tool != null ? "tool_use" : "end_turn").putNull("stop_sequence");
        md.putObject("usage").put("output_tokens", a.completionTokens);
        out.add(event("message_delta", md));
        out.add(event("message_stop", Json.object().put("type", "message_stop")));
        return out;
    }

    private static Buffer event(String name, JsonNode json) {
        return Buffer.buffer("event: " + name + "\ndata: " + Json.string(json) + "\n\n");
    }

    private static ObjectNode anthropicError(int status, String message) {
        String type = switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 529, 503 -> "overloaded_error";
            default -> "api_error";
        };
        ObjectNode e = Json.object().put("type", "error");
        e.putObject("error").put("type", type).put("message", message);
        return e;
    }

    // ------------------------------------------------------------------ helpers

    /** The text in chunks of a few words, each but the first starting with its space. */
    static List<String> wordChunks(String text) {
        List<String> out = new ArrayList<>();
        String[] words = text.split(" ");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(words[i]);
            if ((i + 1) % WORDS_PER_CHUNK == 0 || i == words.length - 1) {
                out.add(sb.toString());
                sb.setLength(0);
            }
        }
        return out;
    }

    private static List<String> pieces(String s, int size) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i += size) {
            out.add(s.substring(i, Math.min(s.length(), i + size)));
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (Exception e) {
            return Json.object();
        }
    }
}
