package com.agentcostcontrol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an Anthropic Messages event stream into OpenAI {@code chat.completion.chunk}s, one upstream
 * event at a time. One instance per stream; not thread-safe.
 *
 * <pre>
 * message_start                       -> chunk delta {role: assistant, content: ""}
 * content_block_start text            -> (text, if any)
 * content_block_start tool_use        -> delta.tool_calls[{index, id, type: function, function{name, arguments: ""}}]
 * content_block_delta text_delta      -> delta.content
 * content_block_delta thinking_delta  -> delta.reasoning_content
 * content_block_delta input_json_delta-> delta.tool_calls[{index, function{arguments}}]
 * content_block_stop of a tool_use that streamed no input -> arguments "{}"
 * message_delta                       -> finish chunk {delta: {}, finish_reason}
 * message_stop                        -> usage chunk {choices: [], usage} when include_usage; stream complete
 * error                               -> OpenAI error object {"error":{...}}; stream failed
 * ping, signature_delta, citations_delta, server-tool blocks -> nothing
 * </pre>
 * Tool-call {@code index} counts tool calls only (0, 1, ...) and {@code id} is Anthropic's
 * {@code toolu_...} id, both stable for the whole stream. The forced JSON tool of
 * {@link OpenAiToAnthropic#JSON_RESPONSE_TOOL} streams as plain content.
 */
public final class AnthropicStreamToOpenAi {

    private enum Kind { TEXT, THINKING, TOOL, JSON_TOOL, OTHER }

    private static final class Block {
        final Kind kind;
        final int toolIndex;
        boolean argumentsSent;

        Block(Kind kind, int toolIndex) {
            this.kind = kind;
            this.toolIndex = toolIndex;
        }
    }

    private final boolean includeUsage;
    private final long created;
    private final Map<Integer, Block> blocks = new HashMap<>();
    private final StreamUsageTracker tracker = StreamUsageTracker.anthropic();
    private String id = "chatcmpl-acc";
    private String model = "";
    private int nextToolIndex;
    private boolean realToolCalls;
    private String finishReason;
    private boolean completed;
    private boolean failed;
    private boolean doneWritten;

    /** For the caller's OpenAI request: the usage chunk is sent iff it set {@code stream_options.include_usage}. */
    public static AnthropicStreamToOpenAi forRequest(JsonNode openAiChatRequest) {
        return new AnthropicStreamToOpenAi(openAiChatRequest.path("stream_options").path("include_usage").asBoolean(false));
    }

    /** @param includeUsage the caller's {@code stream_options.include_usage}: emit the final usage chunk */
    public AnthropicStreamToOpenAi(boolean includeUsage) {
        this(includeUsage, Instant.now().getEpochSecond());
    }

    /** @param createdEpochSeconds the {@code created} stamp of every chunk */
    public AnthropicStreamToOpenAi(boolean includeUsage, long createdEpochSeconds) {
        this.includeUsage = includeUsage;
        this.created = createdEpochSeconds;
    }

    /**
     * Feeds one parsed Anthropic event (the JSON of its {@code data:} line) and returns the OpenAI
     * payloads to send, in order: chunks, or an error object. Events after the end are ignored.
     */
    public List<ObjectNode> accept(JsonNode event) {
        if (completed || failed) {
            return List.of();
        }
        tracker.observe(event);
        List<ObjectNode> out = new ArrayList<>();
        String type = String.valueOf(Json.text(event, "type"));
        switch (type) {
            case "message_start" -> {
                JsonNode msg = event.path("message");
                if (Json.text(msg, "id") != null) {
                    id = Json.text(msg, "id");
                }
                if (Json.text(msg, "model") != null) {
                    model = Json.text(msg, "model");
                }
                ObjectNode delta = Json.obj().put("role", "assistant").put("content", "");
                out.add(chunk(delta, null));
            }
            case "content_block_start" -> blockStart(event.path("index").asInt(), event.path("content_block"), out);
            case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"), out);
            case "content_block_stop" -> {
                Block b = blocks.get(event.path("index").asInt());
                if (b != null && b.kind == Kind.TOOL && !b.argumentsSent) {
                    out.add(toolArguments(b, "{}")); // clients JSON-parse arguments; "" would fail
                    b.argumentsSent = true;
                }
            }
            case "message_delta" -> {
                String stop = Json.text(event.path("delta"), "stop_reason");
                if (finishReason == null) {
                    finishReason = finishFor(stop);
                    out.add(chunk(Json.obj(), finishReason));
                }
            }
            case "message_stop" -> {
                if (finishReason == null) {
                    finishReason = "stop";
                    out.add(chunk(Json.obj(), finishReason));
                }
                if (includeUsage) {
                    out.add(usageChunk());
                }
                completed = true;
            }
            case "error" -> {
                failed = true;
                out.add(Errors.anthropicStreamErrorToOpenAi(event));
            }
            default -> {
                // ping and future event types carry nothing for an OpenAI client
            }
        }
        return out;
    }

    /**
     * The upstream connection ended. After a {@code message_delta} the stream is finished off
     * normally (Anthropic's {@code message_stop} only lost); otherwise an OpenAI error object is
     * returned and the stream counts as failed.
     */
    public List<ObjectNode> end() {
        if (completed || failed) {
            return List.of();
        }
        tracker.observeEnd();
        if (finishReason != null) {
            completed = true;
            return includeUsage ? List.of(usageChunk()) : List.of();
        }
        failed = true;
        return List.of(Errors.openAi(502, "server_error",
                "The upstream model stream ended before the response was complete; retry the request.", null, "stream_incomplete"));
    }

    /**
     * Convenience for the proxy: feeds one parsed SSE event and returns the exact text to write to
     * the OpenAI client, including {@code data: [DONE]} once the stream completed. Data that is not
     * JSON fails the stream.
     */
    public String acceptSse(SseEvent event) {
        if (completed || failed || event.isDone()) {
            return "";
        }
        JsonNode json;
        try {
            json = event.json();
        } catch (IllegalArgumentException e) {
            failed = true;
            return SseWriter.openAi(Errors.openAi(502, "server_error", "The upstream model sent an unreadable stream event.",
                    null, "bad_upstream_event"));
        }
        return frames(accept(json));
    }

    /** Like {@link #end()}, as text to write to the client. */
    public String endSse() {
        return frames(end());
    }

    private String frames(List<ObjectNode> payloads) {
        String text = SseWriter.openAi(payloads);
        if (completed && !doneWritten) {
            doneWritten = true;
            return text + SseWriter.openAiDone();
        }
        return text;
    }

    // ------------------------------------------------------------ state

    /** True once the upstream stream finished properly (message_stop, or message_delta then EOF). */
    public boolean completed() {
        return completed;
    }

    /** True when the stream ended with an error (upstream error event, bad data, or an early EOF). */
    public boolean failed() {
        return failed;
    }

    /** The OpenAI finish_reason sent, or null before message_delta. */
    public String finishReason() {
        return finishReason;
    }

    /** Usage reported by the upstream so far, in Anthropic's convention (input excludes cache reads/writes). */
    public RawUsage usage() {
        return tracker.usage();
    }

    /**
     * What to bill: {@link #usage()} once the stream completed; before that (client disconnect,
     * upstream failure) the output is raised to an estimate of what was produced — one token per
     * four UTF-8 bytes of text, thinking and tool arguments — and a missing input count is replaced
     * by {@code inputTokensEstimate}.
     */
    public RawUsage billableUsage(long inputTokensEstimate) {
        return completed ? usage() : tracker.billableUsage(inputTokensEstimate);
    }

    // ------------------------------------------------------------ blocks

    private void blockStart(int index, JsonNode cb, List<ObjectNode> out) {
        String type = String.valueOf(Json.text(cb, "type"));
        switch (type) {
            case "text" -> {
                blocks.put(index, new Block(Kind.TEXT, -1));
                emitText(Json.text(cb, "text"), out);
            }
            case "thinking" -> {
                blocks.put(index, new Block(Kind.THINKING, -1));
                emitReasoning(Json.text(cb, "thinking"), out);
            }
            case "tool_use" -> {
                if (OpenAiToAnthropic.JSON_RESPONSE_TOOL.equals(Json.text(cb, "name"))) {
                    blocks.put(index, new Block(Kind.JSON_TOOL, -1));
                    JsonNode input = cb.get("input");
                    if (input != null && input.isObject() && !input.isEmpty()) {
                        emitText(Json.write(input), out);
                    }
                    return;
                }
                realToolCalls = true;
                Block b = new Block(Kind.TOOL, nextToolIndex++);
                blocks.put(index, b);
                ObjectNode call = Json.obj();
                call.put("index", b.toolIndex);
                call.put("id", Json.text(cb, "id"));
                call.put("type", "function");
                String args = "";
                JsonNode input = cb.get("input");
                if (input != null && input.isObject() && !input.isEmpty()) {
                    args = Json.write(input);
                    b.argumentsSent = true;
                }
                call.putObject("function").put("name", Json.text(cb, "name")).put("arguments", args);
                ObjectNode delta = Json.obj();
                delta.putArray("tool_calls").add(call);
                out.add(chunk(delta, null));
            }
            default -> blocks.put(index, new Block(Kind.OTHER, -1));
        }
    }

    private void blockDelta(int index, JsonNode delta, List<ObjectNode> out) {
        Block b = blocks.get(index);
        String type = String.valueOf(Json.text(delta, "type"));
        switch (type) {
            case "text_delta" -> emitText(Json.text(delta, "text"), out);
            case "thinking_delta" -> emitReasoning(Json.text(delta, "thinking"), out);
            case "input_json_delta" -> {
                String part = Json.text(delta, "partial_json");
                if (part == null || part.isEmpty() || b == null) {
                    return;
                }
                if (b.kind == Kind.JSON_TOOL) {
                    emitText(part, out);
                } else if (b.kind == Kind.TOOL) {
                    b.argumentsSent = true;
                    out.add(toolArguments(b, part));
                }
            }
            default -> {
                // signature_delta, citations_delta: no chat-completion form
            }
        }
    }

    private void emitText(String text, List<ObjectNode> out) {
        if (text != null && !text.isEmpty()) {
            out.add(chunk(Json.obj().put("content", text), null));
        }
    }

    private void emitReasoning(String text, List<ObjectNode> out) {
        if (text != null && !text.isEmpty()) {
            out.add(chunk(Json.obj().put("reasoning_content", text), null));
        }
    }

    private ObjectNode toolArguments(Block b, String args) {
        ObjectNode call = Json.obj();
        call.put("index", b.toolIndex);
        call.putObject("function").put("arguments", args);
        ObjectNode delta = Json.obj();
        delta.putArray("tool_calls").add(call);
        return chunk(delta, null);
    }

    private String finishFor(String stopReason) {
        String f = StopReasons.toOpenAi(stopReason);
        // a forced JSON-response tool is an answer, not a tool call, for the OpenAI client
        return "tool_calls".equals(f) && !realToolCalls ? "stop" : f;
    }

    private ObjectNode chunk(ObjectNode delta, String finish) {
        ObjectNode c = base();
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        return c;
    }

    private ObjectNode usageChunk() {
        ObjectNode c = base();
        c.putArray("choices");
        c.set("usage", AnthropicToOpenAi.openAiUsage(tracker.anthropicUsageNode()));
        return c;
    }

    private ObjectNode base() {
        ObjectNode c = Json.obj();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        return c;
    }


}
