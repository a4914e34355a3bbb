package com.agentcostcontrol.proxy.llm.security;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The text a scanner must see in an OpenAI or Anthropic body, as slots that can be rewritten in
 * place: every string under the roots that carry prompt or answer text (messages and their content
 * parts, system, tools, tool calls and results, prompt/input), each with its JSON path for messages
 * ({@code messages[1].content}). Identifiers and binary payloads (images, audio, documents as
 * base64) are skipped: they are not text a person typed and would only produce noise.
 */
final class TextSlots {

    /** Request roots for both formats (a missing one costs nothing). */
    static final List<String> REQUEST_ROOTS = List.of("system", "messages", "tools", "prompt", "input", "instructions");
    /** Answer roots: OpenAI {@code choices}, Anthropic {@code content}. */
    static final List<String> RESPONSE_ROOTS = List.of("choices", "content");

    private static final Set<String> SKIP = Set.of("role", "type", "id", "tool_call_id", "tool_use_id", "model",
            "image_url", "input_audio", "source", "cache_control", "media_type", "finish_reason", "stop_reason", "index",
            "logprobs", "file", "name", "signature");

    /** One string value and how to replace it. */
    record Slot(JsonNode parent, String field, int index, String path, String text) {

        void replace(String value) {
            if (parent instanceof ObjectNode o) {
                o.put(field, value);
            } else if (parent instanceof ArrayNode a) {
                a.set(index, TextNode.valueOf(value));
            }
        }
    }

    private TextSlots() {
    }

    static List<Slot> of(JsonNode body, List<String> roots) {
        List<Slot> out = new ArrayList<>();
        if (body == null || !body.isObject()) {
            return out;
        }
        for (String root : roots) {
            JsonNode node = body.get(root);
            if (node != null) {
                walk(body, root, -1, node, root, out);
            }
        }
        return out;
    }

    static long totalChars(List<Slot> slots) {
        long n = 0;
        for (Slot s : slots) {
            n += s.text().length();
        }
        return n;
    }

    private static void walk(JsonNode parent, String field, int index, JsonNode node, String path, List<Slot> out) {
        if (node.isTextual()) {
            out.add(new Slot(parent, field, index, path, node.asText()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node, null, i, node.get(i), path + "[" + i + "]", out);
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!SKIP.contains(f.getKey())) {
                    walk(node, f.getKey(), -1, f.getValue(), path + "." + f.getKey(), out);
                }
            }
        }
    }
}
