package com.agentcostcontrol.proxy.llm.usage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token estimates where no provider count exists: count_tokens for upstreams without that API,
 * the mock provider's usage, and the output of a stream cut short before the provider reported
 * usage. About 4 characters per token (the usual figure for English BPE vocabularies) plus a few
 * tokens of framing per message; estimates are flagged as such in the usage event.
 */
public final class TokenEstimator {

    private static final int PER_MESSAGE = 4;

    private TokenEstimator() {
    }

    public static long ofText(CharSequence text) {
        return text == null || text.length() == 0 ? 0 : (text.length() + 3) / 4;
    }

    public static long ofChars(long chars) {
        return chars <= 0 ? 0 : (chars + 3) / 4;
    }

    /**
     * Prompt tokens of a chat/messages request in either format: every string found in system,
     * messages and tools, plus framing per message. Images count a flat 85 tokens (OpenAI's low-detail figure).
     */
    public static long ofRequest(JsonNode body) {
        if (body == null) {
            return 0;
        }
        long chars = 0;
        long extra = 0;
        JsonNode messages = body.get("messages");
        if (messages != null && messages.isArray()) {
            extra += (long) PER_MESSAGE * messages.size();
            for (JsonNode m : messages) {
                long[] c = walk(m);
                chars += c[0];
                extra += c[1];
            }
        }
        for (String field : new String[] { "system", "tools", "input" }) {
            JsonNode v = body.get(field);
            if (v != null) {
                long[] c = walk(v);
                chars += c[0];
                extra += c[1];
            }
        }
        return ofChars(chars) + extra + 3;
    }

    /** [characters of text, flat tokens of images]. */
    private static long[] walk(JsonNode node) {
        long[] acc = new long[2];
        walk(node, acc);
        return acc;
    }

    private static void walk(JsonNode node, long[] acc) {
        if (node.isTextual()) {
            acc[0] += node.asText().length();
        } else if (node.isObject()) {
            JsonNode type = node.get("type");
            if (type != null && ("image_url".equals(type.asText()) || "image".equals(type.asText()))) {
                acc[1] += 85;
                return;
            }
            node.fields().forEachRemaining(e -> walk(e.getValue(), acc));
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                walk(n, acc);
            }
        }
    }
}
