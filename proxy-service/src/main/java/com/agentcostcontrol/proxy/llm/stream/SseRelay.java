package com.agentcostcontrol.proxy.llm.stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.proxy.llm.api.ErrorEnvelopes;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.pipeline.Responses;
import com.agentcostcontrol.proxy.llm.pipeline.filters.UpstreamFilter.StreamStart;
import com.agentcostcontrol.router.pricing.TokenUsage;
import com.agentcostcontrol.proxy.llm.usage.TokenEstimator;
import com.agentcostcontrol.proxy.llm.usage.UsageExtractor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays an upstream SSE stream to the client event by event, never buffering it whole: each event
 * is written as soon as it is parsed, and a slow client pauses the upstream (TCP back-pressure).
 * Along the way it captures usage (OpenAI's final usage chunk, which the gateway always requests
 * and strips again when the client did not ask for it; Anthropic's message_start/message_delta),
 * counts produced characters for estimates, and ends every stream properly:
 * <ul>
 *   <li>upstream failure mid-stream: an error event the official SDKs raise (OpenAI:
 *       {@code data: {"error":{...}}} and no {@code [DONE]}, so clients that ignore the error still
 *       see a stream without its terminator; Anthropic: {@code event: error});</li>
 *   <li>client disconnect: the upstream exchange is cancelled and what was produced is billed
 *       (status {@code client_disconnected}, tokens estimated when the provider had not reported them).</li>
 * </ul>
 */
@ApplicationScoped
public class SseRelay {

    private static final Logger LOG = Logger.getLogger(SseRelay.class);

    private final Responses responses;

    public SseRelay(Responses responses) {
        this.responses = responses;
    }

    public Future<Void> relay(LlmCall call) {
        StreamStart start = (StreamStart) call.streamState;
        HttpServerResponse response = call.exchange.response();
        Promise<Void> done = Promise.promise();
        Relay relay = new Relay(call, start.reader, response, done);
        if (response.closed()) {
            relay.clientGone();
            return done.future();
        }
        response.setStatusCode(200).setChunked(true);
        response.putHeader("content-type", "text/event-stream; charset=utf-8");
        response.putHeader("cache-control", "no-cache");
        response.putHeader("x-accel-buffering", "no");
        responses.routeHeaders(call, response);
        call.responseStarted = true;
        call.httpStatus = 200;
        response.closeHandler(v -> relay.clientGone());
        response.exceptionHandler(e -> relay.clientGone());
        relay.onEvent(start.first);
        start.reader.listener(relay);
        start.reader.resume();
        return done.future();
    }

    private final class Relay implements SseReader.Listener {
        private final LlmCall call;
        private final SseReader reader;
        private final HttpServerResponse response;
        private final Promise<Void> done;
        private final boolean openAi;
        private boolean finished;
        /** A terminal event was seen ([DONE], message_stop, or an upstream error event). */
        private boolean terminal;
        private long producedChars;
        /** Anthropic usage merged from message_start and message_delta. */
        private ObjectNode anthropicUsage;
        private boolean outputReported;

        Relay(LlmCall call, SseReader reader, HttpServerResponse response, Promise<Void> done) {
            this.call = call;
            this.reader = reader;
            this.response = response;
            this.done = done;
            this.openAi = call.inboundFormat() == ApiFormat.OPENAI;
        }

        @Override
        public void onEvent(SseEvent event) {
            if (finished) {
                return;
            }
            Buffer out = openAi ? openAiEvent(event) : anthropicEvent(event);
            if (out == null) {
                return;
            }
            response.write(out);
            if (response.writeQueueFull()) {
                reader.pause();
                response.drainHandler(v -> {
                    if (!finished) {
                        reader.resume();
                    }
                });
            }
        }

        private Buffer openAiEvent(SseEvent event) {
            String data = event.data();
            if (data.startsWith("[DONE]")) {
                terminal = true;
                return Buffer.buffer("data: [DONE]\n\n");
            }
            JsonNode json = parse(data);
            if (json != null) {
                if (json.has("error")) {
                    terminal = true;
                    call.status = "stream_error";
                    call.errorCode = "upstream_stream_error";
                } else {
                    JsonNode usage = json.get("usage");
                    JsonNode choices = json.path("choices");
                    for (JsonNode choice : choices) {
                        JsonNode delta = choice.path("delta");
                        producedChars += delta.path("content").asText("").length()
                                + delta.path("reasoning_content").asText("").length();
                        for (JsonNode tc : delta.path("tool_calls")) {
                            producedChars += tc.path("function").path("arguments").asText("").length()
                                    + tc.path("function").path("name").asText("").length();
                        }
                    }
                    if (producedChars > 0 && call.firstTokenNanos < 0) {
                        call.firstTokenNanos = System.nanoTime();
                    }
                    if (usage != null && usage.isObject()) {
                        call.tokens = UsageExtractor.read(ApiFormat.OPENAI, usage);
                        if (!call.clientWantsUsage && choices.isEmpty()) {
                            return null;
                        }
                    }
                }
            }
            return Buffer.buffer("data: " + data + "\n\n");
        }

        private Buffer anthropicEvent(SseEvent event) {
            JsonNode json = parse(event.data());
            String type = event.event() != null ? event.event() : json == null ? "" : json.path("type").asText();
            switch (type) {
                case "message_start" -> mergeUsage(json == null ? null : json.path("message").get("usage"));
                case "message_delta" -> {
                    JsonNode usage = json == null ? null : json.get("usage");
                    mergeUsage(usage);
                    if (usage != null && usage.has("output_tokens")) {
                        outputReported = true;
                    }
                }
                case "content_block_delta" -> {
                    JsonNode delta = json == null ? null : json.get("delta");
                    if (delta != null) {
                        producedChars += delta.path("text").asText("").length() + delta.path("thinking").asText("").length()
                                + delta.path("partial_json").asText("").length();
                        if (call.firstTokenNanos < 0) {
                            call.firstTokenNanos = System.nanoTime();
                        }
                    }
                }
                case "message_stop" -> terminal = true;
                case "error" -> {
                    terminal = true;
                    call.status = "stream_error";
                    call.errorCode = "upstream_stream_error";
                }
                default -> {
                    // ping and content_block_start/stop pass through unchanged.
                }
            }
            StringBuilder sb = new StringBuilder(event.data().length() + 32);
            if (event.event() != null) {
                sb.append("event: ").append(event.event()).append('\n');
            }
            return Buffer.buffer(sb.append("data: ").append(event.data()).append("\n\n").toString());
        }

        private void mergeUsage(JsonNode usage) {
            if (usage == null || !usage.isObject()) {
                return;
            }
            if (anthropicUsage == null) {
                anthropicUsage = Json.object();
            }
            usage.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    anthropicUsage.set(e.getKey(), e.getValue());
                }
            });
        }

        @Override
        public void onEnd() {
            if (finished) {
                return;
            }
            if (!terminal) {
                writeError("The upstream provider ended the stream before it was complete.");
                call.status = "stream_error";
                call.errorCode = "upstream_stream_truncated";
            }
            finish(true);
        }

        @Override
        public void onError(Throwable error) {
            if (finished) {
                return;
            }
            LOG.debugf("%s: upstream stream failed: %s", call.requestId, error.toString());
            if (!terminal) {
                writeError("The upstream provider failed in the middle of the stream; the answer is incomplete.");
                call.status = "stream_error";
                call.errorCode = "upstream_stream_error";
            }
            finish(true);
        }

        void clientGone() {
            if (finished) {
                return;
            }
            call.status = "client_disconnected";
            call.errorCode = "client_disconnected";
            if (call.cancelUpstream != null) {
                call.cancelUpstream.run();
            }
            finish(false);
        }

        private void writeError(String message) {
            Buffer event = openAi
                    ? Buffer.buffer("data: " + Json.string(ErrorEnvelopes.openAi(502, "upstream_stream_error", message)) + "\n\n")
                    : Buffer.buffer("event: error\ndata: " + Json.string(ErrorEnvelopes.anthropic(502, message)) + "\n\n");
            response.write(event);
        }

        private void finish(boolean endResponse) {
            finished = true;
            settleTokens();
            if (endResponse && !response.ended() && !response.closed()) {
                response.end();
            }
            done.tryComplete();
        }

        /** Exact usage when the provider reported it; otherwise an estimate of what was produced. */
        private void settleTokens() {
            if (!openAi && anthropicUsage != null) {
                call.tokens = UsageExtractor.read(ApiFormat.ANTHROPIC, anthropicUsage);
            }
            boolean complete = openAi ? call.tokens != null : anthropicUsage != null && outputReported;
            if (complete) {
                return;
            }
            long output = TokenEstimator.ofChars(producedChars);
            if (call.tokens != null) {
                TokenUsage t = call.tokens;
                call.tokens = new TokenUsage(t.inputTokens(), t.cacheReadTokens(), t.cacheWrite5mTokens(), t.cacheWrite1hTokens(),
                        Math.max(t.outputTokens(), output), t.reasoningTokens());
            } else {
                call.tokens = new TokenUsage(TokenEstimator.ofRequest(call.body), 0, 0, 0, output, 0);
            }
            call.tokensEstimated = true;
        }

        private JsonNode parse(String data) {
            if (data.isEmpty() || (data.charAt(0) != '{' && data.charAt(0) != '[')) {
                return null;
            }
            try {
                return Json.parse(data);
            } catch (Exception e) {
                return null;
            }
        }
    }
}
