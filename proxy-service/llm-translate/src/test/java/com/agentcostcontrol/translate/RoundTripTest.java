package com.agentcostcontrol.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips keep the meaning: a body translated to the other family and back says the same thing
 * (same turns, texts, images, tool calls with the same ids and inputs, tool results, tools, choice,
 * limits, usage). Only fixtures without documented lossy features are used; the lossy ones are
 * pinned by the table tests and their warnings instead.
 */
class RoundTripTest {

    // ------------------------------------------------------------ requests

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"01-basic-chat", "02-multimodal", "03-tool-conversation", "04-named-tool-choice",
            "06-default-max-tokens", "08-reasoning-effort-high", "15-cache-control"})
    void openAiRequestThroughAnthropicAndBack(String name) {
        ObjectNode original = (ObjectNode) fixture("requests/openai-to-anthropic/" + name).get("input");
        TranslatedRequest there = OpenAiToAnthropic.request(original, "claude-sonnet-4-5", 64000);
        TranslatedRequest back = AnthropicToOpenAi.request(there.body(), "gpt-4o");
        ObjectNode expected = openAiMeaning(original);
        if (!original.has("max_tokens") && !original.has("max_completion_tokens")) {
            expected.put("max", 64000); // the one intended change: Anthropic needs an explicit limit
        }
        if ("08-reasoning-effort-high".equals(name)) {
            expected.remove("temperature"); // dropped with a warning: thinking needs the default temperature
        }
        assertEquals(Fixtures.pretty(expected), Fixtures.pretty(openAiMeaning(back.body())), name);
        List<String> lost = "15-cache-control".equals(name)
                ? List.of("dropped 'cache_control': OpenAI caches prompt prefixes automatically") : List.of();
        assertEquals(lost, back.warnings(), name + ": only documented losses on the way back");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"02-system-blocks-and-media", "05-legacy-max-tokens", "07-tool-round-trip"})
    void anthropicRequestThroughOpenAiAndBack(String name) {
        ObjectNode original = (ObjectNode) fixture("requests/anthropic-to-openai/" + name).get("input");
        TranslatedRequest there = AnthropicToOpenAi.request(original, "gpt-4o");
        TranslatedRequest back = OpenAiToAnthropic.request(there.body(), "claude-sonnet-4-5", 64000);
        assertEquals(Fixtures.pretty(anthropicMeaning(original)), Fixtures.pretty(anthropicMeaning(back.body())), name);
        assertEquals(List.of(), back.warnings(), name + ": nothing lost on the way back");
    }

    // ------------------------------------------------------------ responses

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"01-text-cache-usage", "02-tool-use", "03-thinking", "04-max-tokens"})
    void anthropicResponseThroughOpenAiAndBack(String name) {
        ObjectNode original = (ObjectNode) fixture("responses/anthropic-to-openai/" + name).get("input");
        ObjectNode back = OpenAiToAnthropic.response(AnthropicToOpenAi.response(original, 1L));
        assertEquals(original.get("id"), back.get("id"), name);
        assertEquals(original.get("model"), back.get("model"), name);
        assertEquals(Fixtures.normalize(original.get("content")), Fixtures.normalize(back.get("content")), name + ": content");
        assertEquals(original.get("stop_reason"), back.get("stop_reason"), name);
        RawUsage a = UsageReader.fromAnthropic(original.get("usage"));
        RawUsage b = UsageReader.fromAnthropic(back.get("usage"));
        assertEquals(a.inputTokens(), b.inputTokens(), name + ": input");
        assertEquals(a.cachedTokens(), b.cachedTokens(), name + ": cache read");
        assertEquals(a.cacheCreation5m() + a.cacheCreation1h(), b.cacheCreation5m() + b.cacheCreation1h(), name + ": cache write");
        assertEquals(a.outputTokens(), b.outputTokens(), name + ": output");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"01-text-cached", "02-parallel-tool-calls", "03-length", "05-reasoning-content"})
    void openAiResponseThroughAnthropicAndBack(String name) {
        ObjectNode original = (ObjectNode) fixture("responses/openai-to-anthropic/" + name).get("input");
        ObjectNode back = AnthropicToOpenAi.response(OpenAiToAnthropic.response(original), 1L);
        JsonNode om = original.get("choices").get(0);
        JsonNode bm = back.get("choices").get(0);
        assertEquals(om.get("finish_reason"), bm.get("finish_reason"), name);
        assertEquals(textOrEmpty(om.get("message").get("content")), textOrEmpty(bm.get("message").get("content")), name);
        assertEquals(textOrEmpty(om.get("message").get("reasoning_content")), textOrEmpty(bm.get("message").get("reasoning_content")), name);
        assertEquals(toolCalls(om.get("message")), toolCalls(bm.get("message")), name + ": tool calls");
        RawUsage a = UsageReader.fromOpenAi(original.get("usage"));
        RawUsage b = UsageReader.fromOpenAi(back.get("usage"));
        assertEquals(a.inputTokens(), b.inputTokens(), name + ": prompt");
        assertEquals(a.cachedTokens(), b.cachedTokens(), name + ": cached");
        assertEquals(a.outputTokens(), b.outputTokens(), name + ": completion");
    }

    // ------------------------------------------------------------ streams

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"01-text-with-usage", "02-tool-use-split-arguments", "03-thinking", "05-parallel-tools-no-usage"})
    void anthropicStreamThroughOpenAiAndBack(String name) {
        List<JsonNode> original = events("streams/anthropic-to-openai/" + name);
        AnthropicStreamToOpenAi toOpenAi = new AnthropicStreamToOpenAi(true, 1L);
        OpenAiStreamToAnthropic toAnthropic = new OpenAiStreamToAnthropic();
        ArrayNode back = Fixtures.M.createArrayNode();
        for (JsonNode e : original) {
            for (ObjectNode chunk : toOpenAi.accept(e)) {
                back.addAll(toAnthropic.accept(chunk));
            }
        }
        assertTrue(toOpenAi.completed(), name);
        back.addAll(toAnthropic.acceptDone());
        StreamTranslationTest.assertWellFormedAnthropicStream(name, back, true);

        ObjectNode a = StreamAccumulators.anthropic(original);
        ObjectNode b = StreamAccumulators.anthropic(back);
        for (JsonNode block : a.get("content")) {
            ((ObjectNode) block).remove("signature"); // signatures have no OpenAI stream form (documented)
        }
        for (JsonNode block : b.get("content")) {
            ((ObjectNode) block).remove("signature");
        }
        assertEquals(Fixtures.pretty(a.get("content")), Fixtures.pretty(b.get("content")), name + ": content");
        assertEquals(a.get("stop_reason"), b.get("stop_reason"), name);
        RawUsage ua = UsageReader.fromAnthropic(a.get("usage"));
        RawUsage ub = UsageReader.fromAnthropic(b.get("usage"));
        assertEquals(ua.totalInputTokens(), ub.totalInputTokens(), name + ": input");
        assertEquals(ua.cachedTokens(), ub.cachedTokens(), name + ": cache read");
        assertEquals(ua.outputTokens(), ub.outputTokens(), name + ": output");
        assertEquals(ua.outputTokens(), toAnthropic.usage().outputTokens(), name + ": usage seen by the second hop");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"01-text-with-usage", "02-parallel-tool-calls", "03-text-then-tool-call", "04-reasoning-content",
            "08-refusal-content-filter"})
    void openAiStreamThroughAnthropicAndBack(String name) {
        List<JsonNode> original = new ArrayList<>();
        boolean done = false;
        for (SseEvent e : sse("streams/openai-to-anthropic/" + name)) {
            if (e.isDone()) {
                done = true;
            } else {
                original.add(e.json());
            }
        }
        assertTrue(done, name);
        OpenAiStreamToAnthropic toAnthropic = new OpenAiStreamToAnthropic();
        AnthropicStreamToOpenAi toOpenAi = new AnthropicStreamToOpenAi(true, 1L);
        List<ObjectNode> back = new ArrayList<>();
        List<ObjectNode> middle = new ArrayList<>();
        for (JsonNode chunk : original) {
            middle.addAll(toAnthropic.accept(chunk));
        }
        middle.addAll(toAnthropic.acceptDone());
        for (ObjectNode e : middle) {
            back.addAll(toOpenAi.accept(e));
        }
        assertTrue(toOpenAi.completed(), name);

        ObjectNode a = StreamAccumulators.openAi(original);
        ObjectNode b = StreamAccumulators.openAi(back);
        // a refusal has no channel of its own in Anthropic: it comes back as content (documented)
        assertEquals(a.get("content").asText() + a.get("refusal").asText(), b.get("content").asText() + b.get("refusal").asText(),
                name + ": visible text");
        assertEquals(a.get("reasoning_content"), b.get("reasoning_content"), name + ": reasoning");
        assertEquals(a.get("finish_reason"), b.get("finish_reason"), name + ": finish");
        assertEquals(toolCalls(a), toolCalls(b), name + ": tool calls");
        RawUsage ua = UsageReader.fromOpenAi(a.get("usage"));
        RawUsage ub = UsageReader.fromOpenAi(b.get("usage"));
        assertEquals(ua.inputTokens(), ub.inputTokens(), name + ": prompt");
        assertEquals(ua.cachedTokens(), ub.cachedTokens(), name + ": cached");
        assertEquals(ua.outputTokens(), ub.outputTokens(), name + ": completion");
    }

    // ------------------------------------------------------------ meaning

    /** A flat, shape-independent view of an OpenAI request. */
    static ObjectNode openAiMeaning(JsonNode req) {
        ObjectNode m = Fixtures.M.createObjectNode();
        List<String> system = new ArrayList<>();
        ArrayNode items = Fixtures.M.createArrayNode();
        for (JsonNode msg : req.get("messages")) {
            String role = msg.get("role").asText();
            JsonNode content = msg.get("content");
            switch (role) {
                case "system", "developer" -> system.add(OpenAiToAnthropic.contentText(content));
                case "tool" -> items.addObject().put("tool_result", msg.get("tool_call_id").asText())
                        .put("text", OpenAiToAnthropic.contentText(content));
                default -> {
                    if (content != null && content.isTextual()) {
                        items.addObject().put(role + "_text", content.asText());
                    } else if (content != null && content.isArray()) {
                        for (JsonNode p : content) {
                            switch (p.get("type").asText()) {
                                case "text" -> items.addObject().put(role + "_text", p.get("text").asText());
                                case "image_url" -> items.addObject().put("image", p.get("image_url").get("url").asText());
                                case "file" -> items.addObject().put("file", p.get("file").get("file_data").asText());
                                default -> throw new AssertionError(p.toString());
                            }
                        }
                    }
                    for (JsonNode tc : msg.path("tool_calls")) {
                        items.addObject().put("tool_call", tc.get("id").asText()).put("name", tc.get("function").get("name").asText())
                                .set("args", StreamAccumulators.parse(tc.get("function").get("arguments").asText()));
                    }
                }
            }
        }
        m.put("system", String.join("\n\n", system));
        m.set("items", items);
        ArrayNode tools = m.putArray("tools");
        for (JsonNode t : req.path("tools")) {
            ObjectNode fn = t.get("function").deepCopy();
            fn.remove("strict");
            if (!fn.has("parameters")) {
                fn.putObject("parameters").put("type", "object").putObject("properties");
            }
            tools.add(fn);
        }
        copy(req, m, "tool_choice");
        copy(req, m, "parallel_tool_calls");
        JsonNode max = req.has("max_completion_tokens") ? req.get("max_completion_tokens") : req.get("max_tokens");
        if (max != null) {
            m.set("max", max);
        }
        JsonNode stop = req.get("stop");
        if (stop != null && stop.isTextual()) {
            m.putArray("stop").add(stop.asText());
        } else {
            copy(req, m, "stop");
        }
        copy(req, m, "temperature");
        copy(req, m, "top_p");
        copy(req, m, "stream");
        copy(req, m, "user");
        copy(req, m, "reasoning_effort");
        return (ObjectNode) Fixtures.normalize(m);
    }

    /** A flat, shape-independent view of an Anthropic request. */
    static ObjectNode anthropicMeaning(JsonNode req) {
        ObjectNode m = Fixtures.M.createObjectNode();
        JsonNode system = req.get("system");
        if (system != null && system.isArray()) {
            List<String> parts = new ArrayList<>();
            system.forEach(b -> parts.add(b.get("text").asText()));
            m.put("system", String.join("\n\n", parts));
        } else if (system != null) {
            m.put("system", system.asText());
        }
        ArrayNode items = m.putArray("items");
        for (JsonNode msg : req.get("messages")) {
            String role = msg.get("role").asText();
            JsonNode content = msg.get("content");
            if (content.isTextual()) {
                items.addObject().put(role + "_text", content.asText());
                continue;
            }
            for (JsonNode b : content) {
                switch (b.get("type").asText()) {
                    case "text" -> items.addObject().put(role + "_text", b.get("text").asText());
                    case "image", "document" -> {
                        JsonNode src = b.get("source");
                        String where = switch (src.get("type").asText()) {
                            case "url" -> src.get("url").asText();
                            case "base64" -> "data:" + src.get("media_type").asText() + ";base64," + src.get("data").asText();
                            default -> "text:" + src.get("data").asText();
                        };
                        if ("text".equals(src.get("type").asText())) {
                            items.addObject().put(role + "_text", src.get("data").asText());
                        } else {
                            items.addObject().put(b.get("type").asText(), where);
                        }
                    }
                    case "tool_use" -> items.addObject().put("tool_use", b.get("id").asText()).put("name", b.get("name").asText())
                            .set("input", b.get("input"));
                    case "tool_result" -> {
                        JsonNode c = b.get("content");
                        String text = c == null ? "" : c.isTextual() ? c.asText() : OpenAiToAnthropic.contentText(c);
                        items.addObject().put("tool_result", b.get("tool_use_id").asText()).put("text", text);
                    }
                    default -> throw new AssertionError(b.toString());
                }
            }
        }
        ArrayNode tools = m.putArray("tools");
        for (JsonNode t : req.path("tools")) {
            ObjectNode tool = t.deepCopy();
            tool.remove("cache_control");
            tools.add(tool);
        }
        copy(req, m, "tool_choice");
        copy(req, m, "max_tokens");
        copy(req, m, "stop_sequences");
        copy(req, m, "temperature");
        copy(req, m, "top_p");
        copy(req, m, "stream");
        copy(req, m, "metadata");
        copy(req, m, "thinking");
        return (ObjectNode) Fixtures.normalize(m);
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.has(field) && !from.get(field).isNull()) {
            to.set(field, from.get(field));
        }
    }

    private static String textOrEmpty(JsonNode n) {
        return n == null || n.isNull() ? "" : n.asText();
    }

    private static JsonNode toolCalls(JsonNode message) {
        ArrayNode out = Fixtures.M.createArrayNode();
        for (JsonNode tc : message.path("tool_calls")) {
            out.addObject().put("id", tc.get("id").asText()).put("name", tc.get("function").get("name").asText())
                    .set("args", StreamAccumulators.parse(tc.get("function").get("arguments").asText()));
        }
        return Fixtures.normalize(out);
    }

    private static ObjectNode fixture(String name) {
        return Fixtures.read(Fixtures.dir(name.substring(0, name.lastIndexOf('/'))).resolve(name.substring(name.lastIndexOf('/') + 1) + ".json"));
    }

    private static List<SseEvent> sse(String name) {
        SseParser p = new SseParser();
        List<SseEvent> events = new ArrayList<>(p.feed(Fixtures.text(name + ".sse").getBytes(StandardCharsets.UTF_8)));
        events.addAll(p.finish());
        return events;
    }

    private static List<JsonNode> events(String name) {
        List<JsonNode> out = new ArrayList<>();
        sse(name).forEach(e -> out.add(e.json()));
        return out;
    }
}
