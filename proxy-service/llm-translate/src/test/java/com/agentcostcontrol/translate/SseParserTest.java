package com.agentcostcontrol.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static final String MIXED = "\uFEFFevent: message_start\r\n"
            + "data: {\"type\":\"message_start\"}\r\n\r\n"
            + ": keep-alive comment\n\n"
            + "event: content_block_delta\n"
            + "id: 7\n"
            + "retry: 3000\n"
            + "data: {\"text\":\"Grüße 👋 \u4f60\u597d\"}\n\n"
            + "data: line one\rdata:line two\r\r"
            + "event: lonely\n\n"
            + "data: [DONE]\n\n";

    private static final List<SseEvent> MIXED_EVENTS = List.of(
            new SseEvent("message_start", "{\"type\":\"message_start\"}", null),
            new SseEvent("content_block_delta", "{\"text\":\"Grüße 👋 \u4f60\u597d\"}", "7"),
            new SseEvent(null, "line one\nline two", "7"),
            new SseEvent(null, "[DONE]", "7"));

    @Test
    void parsesEventNamesMultiLineDataCommentsIdsAndAllLineEndings() {
        SseParser p = new SseParser();
        List<SseEvent> events = new ArrayList<>(p.feed(MIXED));
        events.addAll(p.finish());
        assertEquals(MIXED_EVENTS, events);
        assertTrue(events.get(3).isDone());
        assertFalse(events.get(0).isDone());
    }

    @Test
    void everySplitPointOfTheByteStreamGivesTheSameEvents() {
        byte[] bytes = MIXED.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            SseParser p = new SseParser();
            List<SseEvent> events = new ArrayList<>(p.feed(bytes, 0, split));
            events.addAll(p.feed(bytes, split, bytes.length - split));
            events.addAll(p.finish());
            assertEquals(MIXED_EVENTS, events, "split at byte " + split);
        }
    }

    @Test
    void everySplitPointOfTheTextGivesTheSameEvents() {
        for (int split = 0; split <= MIXED.length(); split++) {
            SseParser p = new SseParser();
            List<SseEvent> events = new ArrayList<>(p.feed(MIXED.substring(0, split)));
            events.addAll(p.feed(MIXED.substring(split)));
            events.addAll(p.finish());
            assertEquals(MIXED_EVENTS, events, "split at char " + split);
        }
    }

    @Test
    void crAtTheEndOfAChunkFollowedByLfIsOneLineEnding() {
        SseParser p = new SseParser();
        assertEquals(List.of(), p.feed("data: a\r"));
        assertEquals(List.of(), p.feed("\ndata: b\r"));
        assertEquals(List.of(new SseEvent(null, "a\nb", null)), p.feed("\n\r\n"));
    }

    @Test
    void severalEventsInOneChunkAndAnEventSpreadOverManyChunks() {
        SseParser p = new SseParser();
        assertEquals(2, p.feed("data: 1\n\ndata: 2\n\ndata: 3").size());
        assertEquals(List.of(), p.feed("3"));
        assertEquals(List.of(), p.feed("\n"));
        assertEquals(List.of(new SseEvent(null, "33", null)), p.feed("\n"));
    }

    @Test
    void finishDispatchesAPendingEventWithoutTheClosingBlankLine() {
        SseParser p = new SseParser();
        assertEquals(List.of(), p.feed("event: message_stop\ndata: {\"type\":\"message_stop\"}"));
        assertEquals(List.of(new SseEvent("message_stop", "{\"type\":\"message_stop\"}", null)), p.finish());
        assertEquals(List.of(), p.finish());
    }

    @Test
    void fieldWithoutColonAndDataWithoutSpace() {
        SseParser p = new SseParser();
        assertEquals(List.of(new SseEvent(null, "\nx", null)), p.feed("data\ndata:x\n\n"));
        assertEquals(List.of(new SseEvent(null, " two spaces", null)), p.feed("data:  two spaces\n\n"));
    }

    @Test
    void truncatedMultiByteCharacterAtEofIsReplacedNotDropped() {
        byte[] emoji = "👋".getBytes(StandardCharsets.UTF_8);
        SseParser p = new SseParser();
        byte[] head = "data: x".getBytes(StandardCharsets.UTF_8);
        p.feed(head);
        p.feed(emoji, 0, 2);
        assertEquals(List.of(new SseEvent(null, "x\uFFFD", null)), p.finish());
    }

    @Test
    void oversizedEventIsRefused() {
        SseParser p = new SseParser(16);
        assertThrows(IllegalStateException.class, () -> p.feed("data: " + "x".repeat(20)));
        SseParser q = new SseParser(16);
        assertThrows(IllegalStateException.class, () -> q.feed("data: 0123456789\ndata: 0123456789\n"));
    }

    @Test
    void writerOutputParsesBack() {
        ObjectNode chunk = Fixtures.M.createObjectNode().put("type", "content_block_delta").put("text", "a\nb");
        String wire = SseWriter.anthropic(chunk) + SseWriter.comment("ping\nping") + SseWriter.openAi(chunk)
                + SseWriter.event("custom", "line1\r\nline2\nline3") + SseWriter.openAiDone();
        assertEquals("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"text\":\"a\\nb\"}\n\n",
                SseWriter.anthropic(chunk));
        assertEquals("data: [DONE]\n\n", SseWriter.openAiDone());
        List<SseEvent> events = new SseParser().feed(wire);
        assertEquals(List.of(
                new SseEvent("content_block_delta", chunk.toString(), null),
                new SseEvent(null, chunk.toString(), null),
                new SseEvent("custom", "line1\nline2\nline3", null),
                new SseEvent(null, "[DONE]", null)), events);
        assertEquals("a\nb", events.get(0).json().get("text").asText());
    }

    @Test
    void jsonOfNonJsonDataFailsWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SseEvent(null, "secret sk-live-123 {", null).json());
        assertFalse(e.getMessage().contains("secret"));
    }
}
