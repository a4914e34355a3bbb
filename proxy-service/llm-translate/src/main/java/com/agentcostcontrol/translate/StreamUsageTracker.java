package com.agentcostcontrol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Watches one upstream stream (without changing it) for what must be billed: the usage the
 * provider reported, an estimate of the output produced so far, and whether the stream ended
 * properly. Use it directly when a stream is relayed in its own format; the two stream
 * translators use one internally. One instance per stream; not thread-safe.
 *
 * <ul>
 *   <li>Anthropic: {@code message_start} carries the input side, {@code message_delta} cumulative
 *       totals (later non-null values win); complete at {@code message_stop}; failed at
 *       {@code error}.</li>
 *   <li>OpenAI: usage comes in the last chunk when {@code stream_options.include_usage} is set;
 *       complete at {@code [DONE]}; failed at an {@code {"error":...}} chunk.</li>
 * </ul>
 * The output estimate is one token per four UTF-8 bytes of text, reasoning/thinking and tool
 * arguments seen, rounded up.
 */
public final class StreamUsageTracker {

    private final RawUsage.Format format;
    private final ObjectNode anthropicUsage = Json.obj();
    private JsonNode openAiUsage;
    private long producedUtf8Bytes;
    private boolean finishSeen;
    private boolean completed;
    private boolean failed;

    private StreamUsageTracker(RawUsage.Format format) {
        this.format = format;
    }

    /** For a stream of Anthropic Messages events. */
    public static StreamUsageTracker anthropic() {
        return new StreamUsageTracker(RawUsage.Format.ANTHROPIC);
    }

    /** For a stream of OpenAI chat.completion.chunks. */
    public static StreamUsageTracker openAi() {
        return new StreamUsageTracker(RawUsage.Format.OPENAI);
    }

    /** Observes one parsed event (Anthropic) or chunk (OpenAI). Nothing changes after the end. */
    public void observe(JsonNode event) {
        if (completed || failed || event == null) {
            return;
        }
        if (format == RawUsage.Format.ANTHROPIC) {
            observeAnthropic(event);
        } else {
            observeOpenAi(event);
        }
    }

    /** Observes one SSE event; OpenAI's {@code [DONE]} completes the stream, non-JSON data fails it. */
    public void observe(SseEvent event) {
        if (event.isDone()) {
            observeDone();
            return;
        }
        try {
            observe(event.json());
        } catch (IllegalArgumentException e) {
            failed = !completed;
        }
    }

    /** OpenAI's {@code data: [DONE]}. */
    public void observeDone() {
        if (!failed) {
            completed = true;
        }
    }

    /**
     * The upstream connection ended: a stream whose final stop reason was seen (Anthropic
     * {@code message_delta}, OpenAI {@code finish_reason}) counts as complete, any other as failed.
     */
    public void observeEnd() {
        if (completed || failed) {
            return;
        }
        if (finishSeen) {
            completed = true;
        } else {
            failed = true;
        }
    }

    /** Usage reported so far, in the stream's own convention. */
    public RawUsage usage() {
        return format == RawUsage.Format.ANTHROPIC ? UsageReader.fromAnthropic(anthropicUsage) : UsageReader.fromOpenAi(openAiUsage);
    }

    /**
     * What to bill: the reported usage when it is final (Anthropic: stream completed; OpenAI: usage
     * chunk seen); otherwise output raised to {@link #estimatedOutputTokens()} and, when no input
     * was reported, input set to {@code inputTokensEstimate} (the proxy's pre-call count).
     */
    public RawUsage billableUsage(long inputTokensEstimate) {
        boolean finalUsage = format == RawUsage.Format.ANTHROPIC ? completed : openAiUsage != null;
        RawUsage u = usage();
        return finalUsage ? u : u.withOutputAtLeast(estimatedOutputTokens()).withInputIfMissing(inputTokensEstimate);
    }

    /** Output tokens estimated from the bytes produced so far. */
    public long estimatedOutputTokens() {
        return (producedUtf8Bytes + 3) / 4;
    }

    /** True once the stream ended properly. */
    public boolean completed() {
        return completed;
    }

    /** True when the stream ended with an error or before its end. */
    public boolean failed() {
        return failed;
    }

    /** Whether the provider has reported any usage yet. */
    boolean usageReported() {
        return format == RawUsage.Format.ANTHROPIC ? !anthropicUsage.isEmpty() : openAiUsage != null;
    }

    private void observeAnthropic(JsonNode event) {
        switch (String.valueOf(Json.text(event, "type"))) {
            case "message_start" -> merge(event.path("message").get("usage"));
            case "content_block_start" -> {
                JsonNode cb = event.path("content_block");
                count(Json.text(cb, "text"));
                count(Json.text(cb, "thinking"));
                JsonNode input = cb.get("input");
                if (input != null && input.isObject() && !input.isEmpty()) {
                    count(Json.write(input));
                }
            }
            case "content_block_delta" -> {
                JsonNode d = event.path("delta");
                count(Json.text(d, "text"));
                count(Json.text(d, "thinking"));
                count(Json.text(d, "partial_json"));
            }
            case "message_delta" -> {
                merge(event.get("usage"));
                finishSeen = true;
            }
            case "message_stop" -> completed = true;
            case "error" -> failed = true;
            default -> {
                // ping and unknown events carry no usage
            }
        }
    }

    private void observeOpenAi(JsonNode chunk) {
        if (chunk.has("error") && !chunk.has("choices")) {
            failed = true;
            return;
        }
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) {
            openAiUsage = u;
        }
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode d = choice.path("delta");
            count(Json.text(d, "content"));
            count(OpenAiToAnthropic.reasoningText(d));
            count(Json.text(d, "refusal"));
            for (JsonNode call : d.path("tool_calls")) {
                count(Json.text(call.path("function"), "arguments"));
            }
            if (Json.text(choice, "finish_reason") != null) {
                finishSeen = true;
            }
        }
    }

    private void merge(JsonNode u) {
        if (u == null || !u.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = u.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                anthropicUsage.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private void count(String s) {
        if (s != null && !s.isEmpty()) {
            producedUtf8Bytes += s.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** The merged Anthropic usage object (Anthropic streams only). */
    JsonNode anthropicUsageNode() {
        return anthropicUsage;
    }

    /** The last OpenAI usage object, or null (OpenAI streams only). */
    JsonNode openAiUsageNode() {
        return openAiUsage;
    }
}
