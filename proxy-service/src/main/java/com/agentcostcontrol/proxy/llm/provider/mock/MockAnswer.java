package com.agentcostcontrol.proxy.llm.provider.mock;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.proxy.llm.usage.TokenEstimator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the mock "model" answers, independent of wire format: deterministic words seeded by the
 * prompt (same prompt and model → same answer), or a call of the requested tool with arguments
 * drawn from its JSON schema, optionally preceded by thinking. One word is one output token.
 */
final class MockAnswer {

    private static final String[] WORDS = ("the of and to in is that for it as with was on be by this are at from or an "
            + "cost budget token model agent route cache prompt stream proxy gateway tenant usage price call reply "
            + "quick careful small large clear simple exact steady fast bright calm plain sound fair true good "
            + "plan check count measure answer write read send keep hold run serve build test learn share").split(" ");

    final List<String> choices = new ArrayList<>();
    /** Per choice: the tool call {name, arguments JSON} or null for a text answer. */
    final List<String[]> toolCalls = new ArrayList<>();
    String thinking;
    long promptTokens;
    long cachedTokens;
    long completionTokens;
    long reasoningTokens;

    /**
     * @param body    the request (OpenAI chat or Anthropic messages)
     * @param anthropic whether {@code body} is Anthropic-shaped
     */
    static MockAnswer of(String model, JsonNode body, boolean anthropic, MockDirectives directives) {
        MockAnswer a = new MockAnswer();
        a.promptTokens = TokenEstimator.ofRequest(body);
        a.cachedTokens = Math.min(directives.cachedTokens(), a.promptTokens);
        long seed = fnv(model + "\u0000" + promptText(body));
        int n = anthropic ? 1 : Math.max(1, Math.min(8, body.path("n").asInt(1)));
        int maxTokens = maxTokens(body);
        boolean large = model.contains("large");
        for (int i = 0; i < n; i++) {
            long s = seed + 0x9E3779B97F4A7C15L * i;
            String[] tool = toolCall(body, anthropic, s);
            a.toolCalls.add(tool);
            if (tool != null) {
                a.choices.add(null);
                a.completionTokens += 8 + tool[1].length() / 4;
                continue;
            }
            int words = directives.words() >= 0 ? directives.words() : (large ? 40 : 12) + (int) Math.floorMod(s, large ? 50 : 24);
            if (maxTokens > 0) {
                words = Math.min(words, maxTokens);
            }
            String text = words(s, words);
            JsonNode format = body.path("response_format");
            if ("json_object".equals(format.path("type").asText()) || "json_schema".equals(format.path("type").asText())) {
                JsonNode schema = format.path("json_schema").path("schema");
                ObjectNode obj = schema.isObject() ? (ObjectNode) sample(schema, s) : Json.object().put("answer", text);
                text = Json.string(obj);
            }
            a.choices.add(text);
            a.completionTokens += words;
        }
        JsonNode thinking = body.path("thinking");
        if (anthropic && "enabled".equals(thinking.path("type").asText())) {
            int budget = Math.max(8, Math.min(32, thinking.path("budget_tokens").asInt(16) / 64));
            a.thinking = words(seed ^ 0x5DEECE66DL, budget);
            a.reasoningTokens = budget;
            a.completionTokens += budget;
        }
        return a;
    }

    private static int maxTokens(JsonNode body) {
        for (String f : new String[] { "max_completion_tokens", "max_tokens" }) {
            JsonNode v = body.get(f);
            if (v != null && v.canConvertToInt() && v.asInt() > 0) {
                return v.asInt();
            }
        }
        return -1;
    }

    static String words(long seed, int count) {
        StringBuilder sb = new StringBuilder(count * 6);
        long x = seed == 0 ? 1 : seed;
        for (int i = 0; i < count; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            String w = WORDS[(int) Math.floorMod(x, (long) WORDS.length)];
            if (i == 0) {
                sb.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
            } else {
                sb.append(' ').append(w);
            }
        }
        if (count > 0) {
            sb.append('.');
        }
        return sb.toString();
    }

    /**
     * The tool call to make, as {name, arguments JSON}, or null: the model calls a tool when tools
     * are offered, tool_choice allows it, and the last message is not already a tool result.
     */
    private static String[] toolCall(JsonNode body, boolean anthropic, long seed) {
        JsonNode tools = body.path("tools");
        if (!tools.isArray() || tools.isEmpty()) {
            return null;
        }
        JsonNode choice = body.path("tool_choice");
        String choiceType = choice.isTextual() ? choice.asText() : choice.path("type").asText("auto");
        if ("none".equals(choiceType)) {
            return null;
        }
        JsonNode messages = body.path("messages");
        JsonNode last = messages.isArray() && !messages.isEmpty() ? messages.get(messages.size() - 1) : null;
        if (last != null && lastIsToolResult(last, anthropic)) {
            return null;
        }
        String wanted = anthropic ? choice.path("name").asText(null) : choice.path("function").path("name").asText(null);
        JsonNode tool = null;
        for (JsonNode t : tools) {
            String name = anthropic ? t.path("name").asText() : t.path("function").path("name").asText();
            if (wanted == null || wanted.equals(name)) {
                tool = t;
                break;
            }
        }
        if (tool == null) {
            return null;
        }
        String name = anthropic ? tool.path("name").asText() : tool.path("function").path("name").asText();
        JsonNode schema = anthropic ? tool.path("input_schema") : tool.path("function").path("parameters");
        return new String[] { name, Json.string(sample(schema, seed)) };
    }

    private static boolean lastIsToolResult(JsonNode last, boolean anthropic) {
        if (!anthropic) {
            return "tool".equals(last.path("role").asText());
        }
        JsonNode content = last.path("content");
        if (content.isArray()) {
            for (JsonNode block : content) {
                if ("tool_result".equals(block.path("type").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A value matching a JSON schema: first enum value, or a typed sample; objects fill every property. */
    static JsonNode sample(JsonNode schema, long seed) {
        JsonNode en = schema.path("enum");
        if (en.isArray() && !en.isEmpty()) {
            return en.get(0);
        }
        String type = schema.path("type").asText("object");
        switch (type) {
            case "string":
                return Json.MAPPER.getNodeFactory().textNode(words(seed, 2).replace(".", "").toLowerCase());
            case "integer":
            case "number":
                return Json.MAPPER.getNodeFactory().numberNode(1 + Math.floorMod(seed, 9));
            case "boolean":
                return Json.MAPPER.getNodeFactory().booleanNode(true);
            case "array": {
                ArrayNode arr = Json.MAPPER.createArrayNode();
                if (schema.has("items")) {
                    arr.add(sample(schema.get("items"), seed + 1));
                }
                return arr;
            }
            default: {
                ObjectNode obj = Json.object();
                JsonNode props = schema.path("properties");
                Iterator<Map.Entry<String, JsonNode>> it = props.fields();
                long s = seed;
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    obj.set(e.getKey(), sample(e.getValue(), ++s));
                }
                return obj;
            }
        }
    }

    /** All text of the prompt, to seed the answer. */
    private static String promptText(JsonNode body) {
        StringBuilder sb = new StringBuilder();
        collect(body.path("system"), sb);
        collect(body.path("messages"), sb);
        collect(body.path("input"), sb);
        return sb.toString();
    }

    private static void collect(JsonNode node, StringBuilder sb) {
        if (node.isTextual()) {
            sb.append(node.asText()).append('\n');
        } else if (node.isContainerNode()) {
            for (JsonNode child : node) {
                collect(child, sb);
            }
        }
    }

    static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
