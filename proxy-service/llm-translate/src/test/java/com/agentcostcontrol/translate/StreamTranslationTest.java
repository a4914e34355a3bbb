package com.agentcostcontrol.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven stream translation. Each case is a raw upstream SSE capture ({@code NAME.sse}, shapes
 * from the public API docs) and {@code NAME.json} with the options, the expected client payloads
 * and the expected end state (completed/failed, reported and billable usage). The capture is fed
 * through {@link SseParser} in network-like pieces, then through the translator, then EOF.
 */
class StreamTranslationTest {

    static Stream<Arguments> anthropicToOpenAi() {
        return Fixtures.cases("streams/anthropic-to-openai");
    }

    static Stream<Arguments> openAiToAnthropic() {
        return Fixtures.cases("streams/openai-to-anthropic");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anthropicToOpenAi")
    void anthropicStreamBecomesOpenAiChunks(String name, ObjectNode fixture) {
        List<SseEvent> events = parse(name);
        boolean includeUsage = fixture.path("includeUsage").asBoolean();
        long created = fixture.get("created").asLong();

        AnthropicStreamToOpenAi t = new AnthropicStreamToOpenAi(includeUsage, created);
        ArrayNode payloads = Fixtures.M.createArrayNode();
        for (SseEvent e : events) {
            payloads.addAll(t.accept(e.json()));
        }
        payloads.addAll(t.end());
        Fixtures.assertMatches(name, fixture, "expected", payloads);

        ObjectNode state = Fixtures.M.createObjectNode();
        state.put("completed", t.completed());
        state.put("failed", t.failed());
        state.put("finishReason", t.finishReason());
        state.set("usage", Fixtures.usageJson(t.usage()));
        state.set("billableUsage", Fixtures.usageJson(t.billableUsage(fixture.path("inputTokensEstimate").asLong())));
        Fixtures.assertMatches(name, fixture, "expectedState", state);
        assertPassThroughTrackerAgrees(name, StreamUsageTracker.anthropic(), events, fixture);

        // the SSE convenience path writes the same payloads, plus [DONE] exactly when completed
        AnthropicStreamToOpenAi viaSse = new AnthropicStreamToOpenAi(includeUsage, created);
        StringBuilder wire = new StringBuilder();
        for (SseEvent e : events) {
            wire.append(viaSse.acceptSse(e));
        }
        wire.append(viaSse.endSse());
        List<SseEvent> written = new SseParser().feed(wire.toString());
        ArrayNode writtenPayloads = Fixtures.M.createArrayNode();
        int done = 0;
        for (SseEvent e : written) {
            assertEquals(null, e.event(), name + ": OpenAI frames have no event name");
            if (e.isDone()) {
                done++;
            } else {
                writtenPayloads.add(e.json());
            }
        }
        assertEquals(Fixtures.normalize(payloads), Fixtures.normalize(writtenPayloads), name + ": acceptSse payloads");
        assertEquals(t.completed() ? 1 : 0, done, name + ": [DONE] written iff the stream completed");
        if (done == 1) {
            assertTrue(written.get(written.size() - 1).isDone(), name + ": [DONE] is the last frame");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openAiToAnthropic")
    void openAiStreamBecomesAnthropicEvents(String name, ObjectNode fixture) {
        List<SseEvent> events = parse(name);
        long hint = fixture.path("inputTokensHint").asLong();

        OpenAiStreamToAnthropic t = new OpenAiStreamToAnthropic(hint);
        ArrayNode payloads = Fixtures.M.createArrayNode();
        for (SseEvent e : events) {
            payloads.addAll(e.isDone() ? t.acceptDone() : t.accept(e.json()));
        }
        payloads.addAll(t.end());
        Fixtures.assertMatches(name, fixture, "expected", payloads);
        assertWellFormedAnthropicStream(name, payloads, t.completed());

        ObjectNode state = Fixtures.M.createObjectNode();
        state.put("completed", t.completed());
        state.put("failed", t.failed());
        state.put("stopReason", t.stopReason());
        state.set("usage", Fixtures.usageJson(t.usage()));
        state.set("billableUsage", Fixtures.usageJson(t.billableUsage(fixture.path("inputTokensEstimate").asLong())));
        Fixtures.assertMatches(name, fixture, "expectedState", state);
        assertPassThroughTrackerAgrees(name, StreamUsageTracker.openAi(), events, fixture);

        OpenAiStreamToAnthropic viaSse = new OpenAiStreamToAnthropic(hint);
        StringBuilder wire = new StringBuilder();
        for (SseEvent e : events) {
            wire.append(viaSse.acceptSse(e));
        }
        wire.append(viaSse.endSse());
        ArrayNode writtenPayloads = Fixtures.M.createArrayNode();
        for (SseEvent e : new SseParser().feed(wire.toString())) {
            assertEquals(e.json().get("type").asText(), e.event(), name + ": event name equals the data type");
            writtenPayloads.add(e.json());
        }
        assertEquals(Fixtures.normalize(payloads), Fixtures.normalize(writtenPayloads), name + ": acceptSse payloads");
    }

    /** A stream relayed untranslated is billed exactly like the translated one. */
    private static void assertPassThroughTrackerAgrees(String name, StreamUsageTracker tracker, List<SseEvent> events,
            ObjectNode fixture) {
        events.forEach(tracker::observe);
        tracker.observeEnd();
        JsonNode state = fixture.get("expectedState");
        assertEquals(state.get("completed").asBoolean(), tracker.completed(), name + ": tracker completed");
        assertEquals(state.get("failed").asBoolean(), tracker.failed(), name + ": tracker failed");
        assertEquals(state.get("usage"), Fixtures.normalize(Fixtures.usageJson(tracker.usage())), name + ": tracker usage");
        assertEquals(state.get("billableUsage"),
                Fixtures.normalize(Fixtures.usageJson(tracker.billableUsage(fixture.path("inputTokensEstimate").asLong()))),
                name + ": tracker billable usage");
    }

    /**
     * Parses the capture whole, byte by byte and in 7-byte pieces (splitting lines, CRLF pairs and
     * multi-byte characters); all must give the same events.
     */
    private static List<SseEvent> parse(String name) {
        String sse = Fixtures.text(name.replace(".json", ".sse"));
        byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
        SseParser whole = new SseParser();
        List<SseEvent> events = new ArrayList<>(whole.feed(bytes));
        events.addAll(whole.finish());
        for (int piece : new int[] {1, 7}) {
            SseParser p = new SseParser();
            List<SseEvent> got = new ArrayList<>();
            for (int off = 0; off < bytes.length; off += piece) {
                got.addAll(p.feed(bytes, off, Math.min(piece, bytes.length - off)));
            }
            got.addAll(p.finish());
            assertEquals(events, got, name + ": parsing in " + piece + "-byte pieces");
        }
        assertFalse(events.isEmpty(), name + ": capture has events");
        return events;
    }

    /**
     * message_start first; blocks 0, 1, 2... each start, deltas of the open block's type, stop;
     * then message_delta and message_stop last. A failed stream may end with an error event instead.
     */
    static void assertWellFormedAnthropicStream(String name, JsonNode events, boolean completed) {
        int i = 0;
        int n = events.size();
        if (n > 0 && "error".equals(events.get(n - 1).path("type").asText())) {
            n--;
        }
        if (n == 0) {
            return;
        }
        assertEquals("message_start", events.get(i++).path("type").asText(), name + ": first event");
        int expectedBlock = 0;
        while (i < n && "content_block_start".equals(events.get(i).path("type").asText())) {
            JsonNode start = events.get(i++);
            assertEquals(expectedBlock, start.path("index").asInt(), name + ": block index order");
            String blockType = start.path("content_block").path("type").asText();
            String deltaType = switch (blockType) {
                case "text" -> "text_delta";
                case "thinking" -> "thinking_delta";
                case "tool_use" -> "input_json_delta";
                default -> throw new AssertionError(name + ": unexpected block type " + blockType);
            };
            while (i < n && "content_block_delta".equals(events.get(i).path("type").asText())) {
                assertEquals(expectedBlock, events.get(i).path("index").asInt(), name + ": delta for the open block");
                assertEquals(deltaType, events.get(i).path("delta").path("type").asText(), name + ": delta type");
                i++;
            }
            if (i < n || completed) {
                assertEquals("content_block_stop", events.get(i).path("type").asText(), name + ": block closed");
                assertEquals(expectedBlock, events.get(i).path("index").asInt(), name + ": stop index");
                i++;
            }
            expectedBlock++;
        }
        if (completed) {
            assertEquals("message_delta", events.get(i++).path("type").asText(), name + ": message_delta after blocks");
            assertEquals("message_stop", events.get(i++).path("type").asText(), name + ": message_stop last");
        }
        assertEquals(n, i, name + ": no events out of place");
    }
}
