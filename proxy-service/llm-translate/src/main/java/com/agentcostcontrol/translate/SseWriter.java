package com.agentcostcontrol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Formats server-sent events the way each API family writes them. */
public final class SseWriter {

    private static final String DONE = "data: [DONE]\n\n";

    private SseWriter() {
    }

    /** OpenAI chunk: {@code data: {...}\n\n}. */
    public static String openAi(JsonNode chunk) {
        return "data: " + Json.write(chunk) + "\n\n";
    }

    /** Several OpenAI chunks, concatenated. */
    public static String openAi(List<? extends JsonNode> chunks) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : chunks) {
            sb.append(openAi(c));
        }
        return sb.toString();
    }

    /** OpenAI's terminator {@code data: [DONE]\n\n}. */
    public static String openAiDone() {
        return DONE;
    }

    /** Anthropic event named after its {@code type}: {@code event: x\ndata: {...}\n\n}. */
    public static String anthropic(JsonNode event) {
        String type = Json.text(event, "type");
        return anthropic(type == null ? "message" : type, event);
    }

    /** Anthropic event with an explicit name. */
    public static String anthropic(String eventName, JsonNode event) {
        return "event: " + eventName + "\ndata: " + Json.write(event) + "\n\n";
    }

    /** Several Anthropic events, concatenated. */
    public static String anthropic(List<? extends JsonNode> events) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : events) {
            sb.append(anthropic(e));
        }
        return sb.toString();
    }

    /**
     * Any event; multi-line data is split into several {@code data:} lines so that it survives
     * parsing. A null {@code eventName} writes no {@code event:} line.
     */
    public static String event(String eventName, String data) {
        StringBuilder sb = new StringBuilder();
        if (eventName != null) {
            sb.append("event: ").append(eventName).append('\n');
        }
        for (String line : data.split("\r\n|\r|\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        return sb.append('\n').toString();
    }

    /** A comment line, e.g. a keep-alive: {@code : text\n\n}. */
    public static String comment(String text) {
        return ": " + text.replace('\n', ' ').replace('\r', ' ') + "\n\n";
    }
}
