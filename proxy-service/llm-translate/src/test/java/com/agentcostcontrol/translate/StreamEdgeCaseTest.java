package com.agentcostcontrol.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream situations that real providers produce rarely but a gateway must survive. */
class StreamEdgeCaseTest {

    private static JsonNode json(String s) {
        return StreamAccumulators.parse(s);
    }

    @Test
    void openAiToolCallWithoutIdGetsAStableSyntheticId() {
        OpenAiStreamToAnthropic t = new OpenAiStreamToAnthropic();
        List<ObjectNode> out = new ArrayList<>(t.accept(json("{\"id\":\"gen-1\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}")));
        out.addAll(t.accept(json("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}")));
        out.addAll(t.acceptDone());
        assertEquals("toolu_gen-1_0", out.get(1).get("content_block").get("id").asText());
        StreamTranslationTest.assertWellFormedAnthropicStream("synthetic id", Fixtures.M.valueToTree(out), true);
        assertEquals("tool_use", t.stopReason());
    }

    @Test
    void interleavedOpenAiToolArgumentsLandOnTheirOwnBlock() {
        OpenAiStreamToAnthropic t = new OpenAiStreamToAnthropic();
        List<ObjectNode> out = new ArrayList<>();
        out.addAll(t.accept(json("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
                + "{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":\"}},"
                + "{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"y\\\":\"}}]}}]}")));
        out.addAll(t.accept(json("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]}}]}")));
        out.addAll(t.accept(json("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"2}\"}}]}}]}")));
        out.addAll(t.accept(json("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}")));
        out.addAll(t.acceptDone());
        ObjectNode msg = StreamAccumulators.anthropic(out);
        assertEquals("{\"x\":1}", msg.get("content").get(0).get("input").toString());
        assertEquals("{\"y\":2}", msg.get("content").get(1).get("input").toString());
    }

    @Test
    void emptyOpenAiStreamStillProducesAValidAnthropicMessage() {
        OpenAiStreamToAnthropic t = new OpenAiStreamToAnthropic(42);
        List<ObjectNode> out = t.acceptDone();
        assertEquals(List.of("message_start", "message_delta", "message_stop"),
                out.stream().map(e -> e.get("type").asText()).toList());
        assertEquals(42, out.get(1).get("usage").get("input_tokens").asInt());
        assertTrue(t.completed());
        assertEquals(List.of(), t.accept(json("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"late\"}}]}")));
    }

    @Test
    void secondOpenAiChoiceIsIgnored() {
        OpenAiStreamToAnthropic t = new OpenAiStreamToAnthropic();
        List<ObjectNode> out = new ArrayList<>(t.accept(json("{\"id\":\"c\",\"choices\":["
                + "{\"index\":0,\"delta\":{\"content\":\"A\"}},{\"index\":1,\"delta\":{\"content\":\"B\"}}]}")));
        out.addAll(t.acceptDone());
        assertEquals("A", StreamAccumulators.anthropic(out).get("content").get(0).get("text").asText());
    }

    @Test
    void unreadableUpstreamDataFailsTheStreamInTheClientsFormat() {
        AnthropicStreamToOpenAi a = new AnthropicStreamToOpenAi(true, 1);
        String frame = a.acceptSse(new SseEvent("content_block_delta", "{not json", null));
        assertTrue(a.failed());
        assertEquals("server_error", new SseParser().feed(frame).get(0).json().get("error").get("type").asText());
        assertEquals("", a.acceptSse(new SseEvent(null, "{\"type\":\"message_stop\"}", null)));

        OpenAiStreamToAnthropic o = new OpenAiStreamToAnthropic();
        String aFrame = o.acceptSse(new SseEvent(null, "{not json", null));
        assertTrue(o.failed());
        SseEvent ev = new SseParser().feed(aFrame).get(0);
        assertEquals("error", ev.event());
        assertEquals("api_error", ev.json().get("error").get("type").asText());
    }

    @Test
    void anthropicEventsAfterMessageStopAreIgnoredAndDoneIsWrittenOnce() {
        AnthropicStreamToOpenAi t = AnthropicStreamToOpenAi.forRequest(json("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
        StringBuilder wire = new StringBuilder();
        wire.append(t.acceptSse(new SseEvent("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"x\","
                + "\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}", null)));
        wire.append(t.acceptSse(new SseEvent("message_stop", "{\"type\":\"message_stop\"}", null)));
        wire.append(t.acceptSse(new SseEvent("message_stop", "{\"type\":\"message_stop\"}", null)));
        wire.append(t.endSse());
        List<SseEvent> frames = new SseParser().feed(wire.toString());
        assertEquals(1, frames.stream().filter(SseEvent::isDone).count());
        assertEquals("stop", t.finishReason(), "a missing message_delta still yields a finish chunk");
        assertEquals(4, frames.size(), "role chunk, finish chunk, usage chunk, [DONE]");
        assertEquals(3, frames.get(2).json().get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void forRequestWithoutIncludeUsageSendsNoUsageChunk() {
        AnthropicStreamToOpenAi t = AnthropicStreamToOpenAi.forRequest(json("{\"stream\":true}"));
        t.accept(json("{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"x\",\"usage\":{\"input_tokens\":3}}}"));
        t.accept(json("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":5}}"));
        List<ObjectNode> last = t.accept(json("{\"type\":\"message_stop\"}"));
        assertEquals(List.of(), last);
        assertEquals(5, t.usage().outputTokens(), "usage is still tracked for billing");
        assertFalse(t.failed());
    }

    @Test
    void passThroughTrackerBillsADisconnectFromWhatWasProduced() {
        StreamUsageTracker tracker = StreamUsageTracker.anthropic();
        tracker.observe(json("{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":100,\"cache_read_input_tokens\":50,\"output_tokens\":1}}}"));
        tracker.observe(json("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + "x".repeat(400) + "\"}}"));
        // the client disconnects here: no message_delta, no message_stop
        RawUsage billable = tracker.billableUsage(0);
        assertEquals(100, billable.inputTokens());
        assertEquals(50, billable.cachedTokens());
        assertEquals(100, billable.outputTokens());
        assertFalse(tracker.completed());
    }
}
