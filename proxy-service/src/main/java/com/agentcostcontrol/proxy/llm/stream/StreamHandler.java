package com.agentcostcontrol.proxy.llm.stream;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.translate.AnthropicStreamToOpenAi;
import com.agentcostcontrol.translate.Errors;
import com.agentcostcontrol.translate.OpenAiStreamToAnthropic;
import com.agentcostcontrol.translate.RawUsage;
import com.agentcostcontrol.translate.SseEvent;
import com.agentcostcontrol.translate.SseWriter;
import com.agentcostcontrol.translate.StreamUsageTracker;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns upstream SSE events into the frames the client gets, and keeps what must be billed. One
 * per stream: a pass-through for same-format streams (with llm-translate's
 * {@link StreamUsageTracker}), or one of llm-translate's stream translators.
 */
abstract class StreamHandler {

    /** Frames for the client (may be empty) for one upstream event. */
    abstract String accept(SseEvent event);

    /** Frames that close the stream properly when the upstream ended (or broke). */
    abstract String end();

    /** What to bill so far: reported usage, or estimates where the provider had not reported yet. */
    abstract RawUsage billable(long inputTokensEstimate);

    abstract boolean completed();

    abstract boolean failed();

    /** Whether an upstream event carries generated output (for time to first token). */
    static boolean carriesOutput(SseEvent e) {
        String d = e.data();
        return d.contains("_delta\"") || d.contains("\"content\":\"") && !d.contains("\"content\":\"\"")
                || d.contains("\"arguments\":\"") || d.contains("\"reasoning_content\":\"");
    }

    static StreamHandler of(ApiFormat inbound, ApiFormat upstream, JsonNode request, boolean clientWantsUsage,
            long inputEstimate) {
        if (inbound == upstream) {
            return inbound == ApiFormat.OPENAI ? new OpenAiPassThrough(clientWantsUsage) : new AnthropicPassThrough();
        }
        if (inbound == ApiFormat.OPENAI) {
            return new Translating(AnthropicStreamToOpenAi.forRequest(request));
        }
        return new Translating(new OpenAiStreamToAnthropic(inputEstimate));
    }

    /** OpenAI → OpenAI: relays chunks, dropping the usage chunk the client did not ask for. */
    static final class OpenAiPassThrough extends StreamHandler {
        private final StreamUsageTracker tracker = StreamUsageTracker.openAi();
        private final boolean clientWantsUsage;
        /** [DONE] or an in-band error chunk was relayed: nothing may follow. */
        private boolean terminal;

        OpenAiPassThrough(boolean clientWantsUsage) {
            this.clientWantsUsage = clientWantsUsage;
        }

        @Override
        String accept(SseEvent e) {
            tracker.observe(e);
            if (e.isDone()) {
                terminal = true;
                return SseWriter.openAiDone();
            }
            if (e.data().startsWith("{\"error\"")) {
                terminal = true;
            }
            if (!clientWantsUsage && e.data().contains("\"usage\"") && isUsageOnlyChunk(e)) {
                return "";
            }
            return "data: " + e.data() + "\n\n";
        }

        /** The chunk the gateway asked for on the client's behalf: usage and no choices. */
        private static boolean isUsageOnlyChunk(SseEvent e) {
            try {
                JsonNode chunk = e.json();
                JsonNode choices = chunk.path("choices");
                return chunk.path("usage").isObject() && (choices.isMissingNode() || choices.isArray() && choices.isEmpty());
            } catch (IllegalArgumentException notJson) {
                return false;
            }
        }

        @Override
        String end() {
            if (terminal) {
                return "";
            }
            tracker.observeEnd();
            if (tracker.completed()) {
                // finish_reason came but [DONE] was lost: finish the stream the way clients expect.
                return SseWriter.openAiDone();
            }
            return SseWriter.openAi(Errors.openAi(502, "server_error",
                    "The upstream provider ended the stream before it was complete; the answer is incomplete.", null,
                    "stream_incomplete"));
        }

        @Override
        RawUsage billable(long inputTokensEstimate) {
            return tracker.billableUsage(inputTokensEstimate);
        }

        @Override
        boolean completed() {
            return tracker.completed();
        }

        @Override
        boolean failed() {
            return tracker.failed();
        }
    }

    /** Anthropic → Anthropic: relays events as they are. */
    static final class AnthropicPassThrough extends StreamHandler {
        private final StreamUsageTracker tracker = StreamUsageTracker.anthropic();
        /** message_stop or an in-band error event was relayed: nothing may follow. */
        private boolean terminal;

        @Override
        String accept(SseEvent e) {
            tracker.observe(e);
            if ("message_stop".equals(e.event()) || "error".equals(e.event())) {
                terminal = true;
            }
            return e.event() == null ? "data: " + e.data() + "\n\n" : SseWriter.event(e.event(), e.data());
        }

        @Override
        String end() {
            if (terminal) {
                return "";
            }
            tracker.observeEnd();
            if (tracker.completed()) {
                return SseWriter.event("message_stop", "{\"type\":\"message_stop\"}");
            }
            return SseWriter.anthropic("error", Errors.anthropic("api_error",
                    "The upstream provider ended the stream before it was complete; the answer is incomplete."));
        }

        @Override
        RawUsage billable(long inputTokensEstimate) {
            return tracker.billableUsage(inputTokensEstimate);
        }

        @Override
        boolean completed() {
            return tracker.completed();
        }

        @Override
        boolean failed() {
            return tracker.failed();
        }
    }

    /** Cross-format: one of llm-translate's stream translators. */
    static final class Translating extends StreamHandler {
        private final AnthropicStreamToOpenAi toOpenAi;
        private final OpenAiStreamToAnthropic toAnthropic;

        Translating(AnthropicStreamToOpenAi t) {
            this.toOpenAi = t;
            this.toAnthropic = null;
        }

        Translating(OpenAiStreamToAnthropic t) {
            this.toOpenAi = null;
            this.toAnthropic = t;
        }

        @Override
        String accept(SseEvent e) {
            return toOpenAi != null ? toOpenAi.acceptSse(e) : toAnthropic.acceptSse(e);
        }

        @Override
        String end() {
            return toOpenAi != null ? toOpenAi.endSse() : toAnthropic.endSse();
        }

        @Override
        RawUsage billable(long inputTokensEstimate) {
            return toOpenAi != null ? toOpenAi.billableUsage(inputTokensEstimate) : toAnthropic.billableUsage(inputTokensEstimate);
        }

        @Override
        boolean completed() {
            return toOpenAi != null ? toOpenAi.completed() : toAnthropic.completed();
        }

        @Override
        boolean failed() {
            return toOpenAi != null ? toOpenAi.failed() : toAnthropic.failed();
        }
    }
}
