package com.agentcostcontrol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-side client models: fold a stream into the final message the way the official SDKs do, so
 * round-trip tests can compare meaning rather than chunk boundaries.
 */
final class StreamAccumulators {

    private StreamAccumulators() {
    }

    /** Anthropic events -> {content: [...], stop_reason, usage}. */
    static ObjectNode anthropic(Iterable<? extends JsonNode> events) {
        ObjectNode msg = Fixtures.M.createObjectNode();
        ArrayNode content = msg.putArray("content");
        Map<Integer, StringBuilder> partial = new TreeMap<>();
        ObjectNode usage = msg.putObject("usage");
        for (JsonNode e : events) {
            switch (e.path("type").asText()) {
                case "message_start" -> merge(usage, e.path("message").path("usage"));
                case "content_block_start" -> {
                    int i = e.path("index").asInt();
                    while (content.size() <= i) {
                        content.addNull();
                    }
                    content.set(i, e.path("content_block").deepCopy());
                    partial.put(i, new StringBuilder());
                }
                case "content_block_delta" -> {
                    int i = e.path("index").asInt();
                    ObjectNode block = (ObjectNode) content.get(i);
                    JsonNode d = e.path("delta");
                    switch (d.path("type").asText()) {
                        case "text_delta" -> block.put("text", block.path("text").asText() + d.path("text").asText());
                        case "thinking_delta" -> block.put("thinking", block.path("thinking").asText() + d.path("thinking").asText());
                        case "signature_delta" -> block.put("signature", d.path("signature").asText());
                        case "input_json_delta" -> partial.get(i).append(d.path("partial_json").asText());
                        default -> { }
                    }
                }
                case "content_block_stop" -> {
                    // like the SDKs, tool input is accumulated per block index and parsed at the end
                }
                case "message_delta" -> {
                    msg.put("stop_reason", e.path("delta").path("stop_reason").asText());
                    merge(usage, e.path("usage"));
                }
                default -> { }
            }
        }
        for (Map.Entry<Integer, StringBuilder> p : partial.entrySet()) {
            ObjectNode block = (ObjectNode) content.get(p.getKey());
            if ("tool_use".equals(block.path("type").asText()) && p.getValue().length() > 0) {
                block.set("input", parse(p.getValue().toString()));
            }
        }
        return msg;
    }

    /** OpenAI chunks -> {content, reasoning_content, refusal, tool_calls: [...], finish_reason, usage}. */
    static ObjectNode openAi(Iterable<? extends JsonNode> chunks) {
        ObjectNode msg = Fixtures.M.createObjectNode();
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        StringBuilder refusal = new StringBuilder();
        Map<Integer, ObjectNode> calls = new TreeMap<>();
        for (JsonNode c : chunks) {
            if (c.has("usage") && c.get("usage").isObject()) {
                msg.set("usage", c.get("usage").deepCopy());
            }
            for (JsonNode choice : c.path("choices")) {
                JsonNode d = choice.path("delta");
                if (d.path("content").isTextual()) {
                    text.append(d.path("content").asText());
                }
                if (d.path("refusal").isTextual()) {
                    refusal.append(d.path("refusal").asText());
                }
                if (d.path("reasoning_content").isTextual()) {
                    reasoning.append(d.path("reasoning_content").asText());
                }
                for (JsonNode tc : d.path("tool_calls")) {
                    ObjectNode call = calls.computeIfAbsent(tc.path("index").asInt(), k -> {
                        ObjectNode n = Fixtures.M.createObjectNode();
                        n.putObject("function").put("arguments", "");
                        return n;
                    });
                    if (tc.has("id")) {
                        call.put("id", tc.get("id").asText());
                    }
                    ObjectNode fn = (ObjectNode) call.get("function");
                    if (tc.path("function").has("name")) {
                        fn.put("name", tc.path("function").path("name").asText());
                    }
                    fn.put("arguments", fn.path("arguments").asText() + tc.path("function").path("arguments").asText(""));
                }
                if (choice.path("finish_reason").isTextual()) {
                    msg.put("finish_reason", choice.path("finish_reason").asText());
                }
            }
        }
        msg.put("content", text.toString());
        msg.put("reasoning_content", reasoning.toString());
        msg.put("refusal", refusal.toString());
        ArrayNode tc = msg.putArray("tool_calls");
        calls.values().forEach(tc::add);
        return msg;
    }

    private static void merge(ObjectNode into, JsonNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    static JsonNode parse(String json) {
        try {
            return Fixtures.M.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
