package com.agentcostcontrol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an OpenAI {@code chat.completion.chunk} stream into a well-formed Anthropic Messages event
 * stream, one upstream chunk at a time. One instance per stream; not thread-safe.
 *
 * <p>Output grammar (what an Anthropic SDK expects): {@code message_start}, then for each block
 * {@code content_block_start(i)}, its {@code content_block_delta(i)}s, {@code content_block_stop(i)}
 * with {@code i = 0, 1, 2, ...}; then {@code message_delta} (stop_reason + usage) and
 * {@code message_stop}. Blocks never interleave: reasoning ({@code reasoning_content} /
 * {@code reasoning}) opens a thinking block, content a text block, each new tool call (a new
 * {@code tool_calls[].index}) a tool_use block, and a change of kind closes the open block.
 *
 * <p>OpenAI sends finish_reason, then (with {@code include_usage}) a usage chunk with
 * {@code choices: []}, then {@code [DONE]}: the finish closes the open block, and
 * {@code message_delta}/{@code message_stop} are written on {@code [DONE]} (or at EOF after a
 * finish_reason) so they carry the final usage.
 */
public final class OpenAiStreamToAnthropic {

    private enum Kind { TEXT, THINKING, TOOL }

    private final long inputTokensHint;
    private final Map<Integer, Integer> toolBlockByOpenAiIndex = new HashMap<>();
    private boolean started;
    private String id = "msg_acc";
    private String model = "";
    private Kind openKind;
    private int openIndex = -1;
    private int nextBlock;
    private final StreamUsageTracker tracker = StreamUsageTracker.openAi();
    private String stopReason;
    private boolean sawFinish;
    private boolean completed;
    private boolean failed;

    public OpenAiStreamToAnthropic() {
        this(0);
    }

    /**
     * @param inputTokensHint the proxy's prompt-token estimate, shown as {@code input_tokens} in
     *                        {@code message_start} (OpenAI reports usage only at the end; the real
     *                        number follows in {@code message_delta})
     */
    public OpenAiStreamToAnthropic(long inputTokensHint) {
        this.inputTokensHint = inputTokensHint;
    }

    /**
     * Feeds one parsed OpenAI chunk (the JSON of a {@code data:} line other than {@code [DONE]}) and
     * returns the Anthropic events to send, in order. Chunks after the end are ignored.
     */
    public List<ObjectNode> accept(JsonNode chunk) {
        if (completed || failed) {
            return List.of();
        }
        tracker.observe(chunk);
        List<ObjectNode> out = new ArrayList<>();
        if (chunk.has("error") && !chunk.has("choices")) {
            failed = true;
            out.add(Errors.openAiStreamErrorToAnthropic(chunk));
            return out;
        }
        start(chunk, out);
        JsonNode choices = chunk.get("choices");
        if (choices == null || !choices.isArray()) {
            return out;
        }
        for (JsonNode choice : choices) {
            if (choice.path("index").asInt(0) != 0) {
                continue; // Anthropic has a single answer
            }
            JsonNode delta = choice.path("delta");
            String reasoning = OpenAiToAnthropic.reasoningText(delta);
            if (reasoning != null && !reasoning.isEmpty()) {
                ensureBlock(Kind.THINKING, out);
                out.add(blockDelta(Json.obj().put("type", "thinking_delta").put("thinking", reasoning)));
            }
            String text = Json.text(delta, "content");
            if (text != null && !text.isEmpty()) {
                emitText(text, out);
            }
            String refusal = Json.text(delta, "refusal");
            if (refusal != null && !refusal.isEmpty()) {
                emitText(refusal, out);
            }
            JsonNode calls = delta.get("tool_calls");
            if (calls != null && calls.isArray()) {
                for (int i = 0; i < calls.size(); i++) {
                    toolCall(calls.get(i), i, out);
                }
            }
            String finish = Json.text(choice, "finish_reason");
            if (finish != null && !sawFinish) {
                sawFinish = true;
                closeOpen(out);
                stopReason = StopReasons.toAnthropic(finish);
            }
        }
        return out;
    }

    /** Feeds OpenAI's {@code data: [DONE]}: closes the message. */
    public List<ObjectNode> acceptDone() {
        if (completed || failed) {
            return List.of();
        }
        tracker.observeDone();
        List<ObjectNode> out = new ArrayList<>();
        finish(out);
        return out;
    }

    /**
     * The upstream connection ended. After a finish_reason the message is closed normally (only
     * {@code [DONE]} was lost); otherwise an Anthropic {@code error} event is returned and the
     * stream counts as failed.
     */
    public List<ObjectNode> end() {
        if (completed || failed) {
            return List.of();
        }
        tracker.observeEnd();
        if (sawFinish) {
            return acceptDone();
        }
        failed = true;
        return List.of(Errors.anthropic("api_error",
                "The upstream model stream ended before the response was complete; retry the request."));
    }

    /**
     * Convenience for the proxy: feeds one parsed SSE event ({@code [DONE]} included) and returns
     * the exact text to write to the Anthropic client. Data that is not JSON fails the stream.
     */
    public String acceptSse(SseEvent event) {
        if (completed || failed) {
            return "";
        }
        if (event.isDone()) {
            return SseWriter.anthropic(acceptDone());
        }
        JsonNode json;
        try {
            json = event.json();
        } catch (IllegalArgumentException e) {
            failed = true;
            return SseWriter.anthropic(Errors.anthropic("api_error", "The upstream model sent an unreadable stream event."));
        }
        return SseWriter.anthropic(accept(json));
    }

    /** Like {@link #end()}, as text to write to the client. */
    public String endSse() {
        return SseWriter.anthropic(end());
    }

    // ------------------------------------------------------------ state

    /** True once the stream finished properly ({@code [DONE]}, or EOF after a finish_reason). */
    public boolean completed() {
        return completed;
    }

    /** True when the stream ended with an error (upstream error object, bad data, or an early EOF). */
    public boolean failed() {
        return failed;
    }

    /** The Anthropic stop_reason decided so far, or null before the upstream finish_reason. */
    public String stopReason() {
        return stopReason;
    }

    /** Usage reported by the upstream so far, in OpenAI's convention (prompt includes cached tokens). */
    public RawUsage usage() {
        return tracker.usage();
    }

    /**
     * What to bill: {@link #usage()} once the upstream reported it; before that (client disconnect,
     * upstream failure, a provider that ignored include_usage) the output is raised to an estimate
     * of what was produced — one token per four UTF-8 bytes of text, reasoning and tool arguments —
     * and a missing input count is replaced by {@code inputTokensEstimate}.
     */
    public RawUsage billableUsage(long inputTokensEstimate) {
        return tracker.billableUsage(inputTokensEstimate);
    }

    // ------------------------------------------------------------ events

    private void start(JsonNode chunk, List<ObjectNode> out) {
        if (started) {
            return;
        }
        started = true;
        if (Json.text(chunk, "id") != null) {
            id = Json.text(chunk, "id");
        }
        if (Json.text(chunk, "model") != null) {
            model = Json.text(chunk, "model");
        }
        ObjectNode msg = Json.obj();
        msg.put("id", id);
        msg.put("type", "message");
        msg.put("role", "assistant");
        msg.put("model", model);
        msg.putArray("content");
        msg.putNull("stop_reason");
        msg.putNull("stop_sequence");
        msg.putObject("usage").put("input_tokens", inputTokensHint).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0).put("output_tokens", 0);
        ObjectNode e = Json.obj().put("type", "message_start");
        e.set("message", msg);
        out.add(e);
    }

    private void emitText(String text, List<ObjectNode> out) {
        ensureBlock(Kind.TEXT, out);
        out.add(blockDelta(Json.obj().put("type", "text_delta").put("text", text)));
    }

    private void toolCall(JsonNode call, int position, List<ObjectNode> out) {
        int oaIndex = call.path("index").asInt(position);
        JsonNode fn = call.path("function");
        Integer block = toolBlockByOpenAiIndex.get(oaIndex);
        if (block == null) {
            closeOpen(out);
            block = nextBlock++;
            toolBlockByOpenAiIndex.put(oaIndex, block);
            openKind = Kind.TOOL;
            openIndex = block;
            String callId = Json.text(call, "id");
            ObjectNode cb = Json.obj();
            cb.put("type", "tool_use");
            cb.put("id", callId != null ? callId : "toolu_" + id + "_" + oaIndex);
            cb.put("name", Json.text(fn, "name") == null ? "" : Json.text(fn, "name"));
            cb.putObject("input");
            ObjectNode e = Json.obj().put("type", "content_block_start").put("index", block);
            e.set("content_block", cb);
            out.add(e);
        }
        String args = Json.text(fn, "arguments");
        if (args != null && !args.isEmpty()) {
            // OpenAI streams one call's arguments before the next call starts; a provider that
            // interleaves calls still gets each fragment on its own block's index
            ObjectNode e = Json.obj().put("type", "content_block_delta").put("index", block);
            e.putObject("delta").put("type", "input_json_delta").put("partial_json", args);
            out.add(e);
        }
    }

    private void ensureBlock(Kind kind, List<ObjectNode> out) {
        if (openKind == kind && kind != Kind.TOOL) {
            return;
        }
        closeOpen(out);
        openKind = kind;
        openIndex = nextBlock++;
        ObjectNode cb = Json.obj();
        if (kind == Kind.THINKING) {
            cb.put("type", "thinking").put("thinking", "").put("signature", "");
        } else {
            cb.put("type", "text").put("text", "");
        }
        ObjectNode e = Json.obj().put("type", "content_block_start").put("index", openIndex);
        e.set("content_block", cb);
        out.add(e);
    }

    private ObjectNode blockDelta(ObjectNode delta) {
        ObjectNode e = Json.obj().put("type", "content_block_delta").put("index", openIndex);
        e.set("delta", delta);
        return e;
    }

    private void closeOpen(List<ObjectNode> out) {
        if (openKind != null) {
            out.add(Json.obj().put("type", "content_block_stop").put("index", openIndex));
            openKind = null;
        }
    }

    private void finish(List<ObjectNode> out) {
        if (!started) {
            start(Json.obj(), out);
        }
        closeOpen(out);
        String stop = stopReason != null ? stopReason : "end_turn";
        stopReason = stop;
        ObjectNode e = Json.obj().put("type", "message_delta");
        e.putObject("delta").put("stop_reason", stop).putNull("stop_sequence");
        ObjectNode u = OpenAiToAnthropic.anthropicUsage(tracker.openAiUsageNode(), inputTokensHint);
        if (!tracker.usageReported()) {
            u.put("output_tokens", tracker.estimatedOutputTokens());
        }
        e.set("usage", u);
        out.add(e);
        out.add(Json.obj().put("type", "message_stop"));
        completed = true;
    }

}
