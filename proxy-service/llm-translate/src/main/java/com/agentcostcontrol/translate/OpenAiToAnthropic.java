package com.agentcostcontrol.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI format to Anthropic format: a Chat Completions request becomes a Messages request, and an
 * OpenAI {@code chat.completion} becomes an Anthropic {@code message}. Every mapping and every
 * lossy case is listed in {@code docs/TRANSLATION.md}. All methods are pure and thread-safe.
 */
public final class OpenAiToAnthropic {

    /** max_tokens sent when the caller set none and the model's output limit is unknown. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    /**
     * Name of the tool forced for {@code response_format: json_schema}; the reverse translators turn
     * its input back into plain JSON text content, so the caller never sees the tool.
     */
    public static final String JSON_RESPONSE_TOOL = "acc_json_response";

    static final String JSON_OBJECT_INSTRUCTION =
            "Respond only with a single valid JSON object. Do not add any text before or after it and do not wrap it in Markdown code fences.";

    private static final Set<String> HANDLED = Set.of("model", "messages", "tools", "functions", "tool_choice",
            "function_call", "parallel_tool_calls", "max_tokens", "max_completion_tokens", "stop", "temperature",
            "top_p", "top_k", "stream", "stream_options", "user", "safety_identifier", "response_format",
            "reasoning_effort", "thinking", "n");

    private OpenAiToAnthropic() {
    }

    // =================================================================== requests

    /** Same as {@link #request(ObjectNode, String, int)} with an unknown model output limit. */
    public static TranslatedRequest request(ObjectNode openAiChatRequest, String targetModel) {
        return request(openAiChatRequest, targetModel, 0);
    }

    /**
     * Translates an OpenAI Chat Completions request into an Anthropic Messages request.
     *
     * @param openAiChatRequest     the caller's body (not modified)
     * @param targetModel           the Anthropic model id to put in {@code model}
     * @param modelMaxOutputTokens  the target model's output limit: the {@code max_tokens} sent when
     *                              the caller set none, and the cap for one that is larger; 0 or less
     *                              when unknown ({@link #DEFAULT_MAX_TOKENS} is then the default)
     * @throws TranslationException when the request cannot be served faithfully (n &gt; 1, audio
     *                              input, tool arguments that are not JSON, ...)
     */
    public static TranslatedRequest request(ObjectNode openAiChatRequest, String targetModel, int modelMaxOutputTokens) {
        return new RequestBuilder(openAiChatRequest, modelMaxOutputTokens).build(targetModel);
    }

    private static final class RequestBuilder {
        private final ObjectNode in;
        private final int modelMax;
        private final Set<String> warnings = new LinkedHashSet<>();
        private final ArrayNode system = Json.arr();
        private final List<ObjectNode> messages = new ArrayList<>();
        /** legacy function_call ids waiting for their role=function answer, by function name. */
        private final Map<String, Deque<String>> pendingLegacyIds = new HashMap<>();

        RequestBuilder(ObjectNode in, int modelMax) {
            this.in = in;
            this.modelMax = modelMax;
        }

        TranslatedRequest build(String targetModel) {
            JsonNode n = in.get("n");
            if (n != null && !n.isNull() && n.asInt(1) != 1) {
                throw new TranslationException("n", "n=" + n.asText() + " is not supported by Anthropic models, which return one"
                        + " choice per call: send n=1 (or omit it) and repeat the call for more choices.");
            }
            for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                JsonNode v = in.get(f);
                if (!HANDLED.contains(f) && v != null && !v.isNull() && !(v.isBoolean() && !v.asBoolean())) {
                    warnings.add("dropped '" + f + "': no Anthropic equivalent");
                }
            }

            ObjectNode out = Json.obj();
            out.put("model", targetModel);
            convertMessages();

            ArrayNode tools = convertTools();
            ObjectNode toolChoice = convertToolChoice(tools);
            int maxTokens = maxTokens();
            ObjectNode thinking = thinking(maxTokens, toolChoice);
            if (applyResponseFormat(tools, thinking)) {
                toolChoice = Json.obj().put("type", "tool").put("name", JSON_RESPONSE_TOOL);
            }

            if (!system.isEmpty()) {
                out.set("system", collapseText(system));
            }
            stripPrefillWhitespace();
            ArrayNode msgs = out.putArray("messages");
            for (ObjectNode m : messages) {
                msgs.add(finishMessage(m));
            }
            out.put("max_tokens", maxTokens);
            ArrayNode stop = stopSequences();
            if (stop != null) {
                out.set("stop_sequences", stop);
            }
            samplingParams(out, thinking != null);
            if (in.path("stream").asBoolean(false)) {
                out.put("stream", true);
            }
            String user = Json.text(in, "user") != null ? Json.text(in, "user") : Json.text(in, "safety_identifier");
            if (user != null && !user.isEmpty()) {
                out.putObject("metadata").put("user_id", user);
            }
            if (!tools.isEmpty()) {
                out.set("tools", tools);
                if (toolChoice != null) {
                    out.set("tool_choice", toolChoice);
                }
            }
            if (thinking != null) {
                out.set("thinking", thinking);
            }
            return new TranslatedRequest(out, new ArrayList<>(warnings));
        }

        // ------------------------------------------------------------ messages

        private void convertMessages() {
            JsonNode msgs = in.get("messages");
            if (msgs == null || !msgs.isArray() || msgs.isEmpty()) {
                throw new TranslationException("messages", "messages must be a non-empty array.");
            }
            boolean seenTurn = false;
            for (int i = 0; i < msgs.size(); i++) {
                JsonNode m = msgs.get(i);
                String path = "messages[" + i + "]";
                String role = Json.text(m, "role");
                if (role == null) {
                    throw new TranslationException(path + ".role", path + " has no role.");
                }
                switch (role) {
                    case "system", "developer" -> {
                        if (seenTurn) {
                            warnings.add("moved a " + role + " message from inside the conversation to the top-level system prompt");
                        }
                        for (JsonNode b : textOnlyBlocks(m.get("content"), path + ".content", cacheControl(m))) {
                            system.add(b);
                        }
                    }
                    case "user" -> {
                        seenTurn = true;
                        if (Json.present(m, "name")) {
                            warnings.add("dropped 'messages[].name': no Anthropic equivalent");
                        }
                        append("user", userBlocks(m.get("content"), path + ".content", cacheControl(m)));
                    }
                    case "assistant" -> {
                        seenTurn = true;
                        ArrayNode blocks = assistantBlocks(m, path);
                        if (blocks.isEmpty()) {
                            warnings.add("dropped an assistant message with no content");
                        } else {
                            append("assistant", blocks);
                        }
                    }
                    case "tool" -> {
                        seenTurn = true;
                        String id = Json.text(m, "tool_call_id");
                        if (id == null || id.isEmpty()) {
                            throw new TranslationException(path + ".tool_call_id",
                                    path + " (role tool) needs the tool_call_id of the assistant tool call it answers.");
                        }
                        append("user", Json.arr().add(toolResult(id, m.get("content"), path + ".content", cacheControl(m))));
                    }
                    case "function" -> {
                        seenTurn = true;
                        String name = Json.text(m, "name");
                        Deque<String> ids = name == null ? null : pendingLegacyIds.get(name);
                        if (ids == null || ids.isEmpty()) {
                            throw new TranslationException(path + ".name", path + " (role function) does not answer a preceding"
                                    + " assistant function_call of the same name.");
                        }
                        append("user", Json.arr().add(toolResult(ids.pollFirst(), m.get("content"), path + ".content", null)));
                    }
                    default -> throw new TranslationException(path + ".role", path + " has unknown role '" + role
                            + "': use system, developer, user, assistant or tool.");
                }
            }
            if (messages.isEmpty()) {
                throw new TranslationException("messages", "messages must contain at least one user or assistant message;"
                        + " Anthropic models cannot answer a system prompt alone.");
            }
        }

        private static JsonNode cacheControl(JsonNode m) {
            JsonNode cc = m.get("cache_control");
            return cc != null && cc.isObject() ? cc : null;
        }

        /** Merges consecutive same-role turns: Anthropic requires user and assistant to alternate. */
        private void append(String role, ArrayNode blocks) {
            if (blocks.isEmpty()) {
                return;
            }
            ObjectNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
            if (last != null && role.equals(last.get("role").asText())) {
                ((ArrayNode) last.get("content")).addAll(blocks);
                return;
            }
            ObjectNode m = Json.obj();
            m.put("role", role);
            m.set("content", blocks);
            messages.add(m);
        }

        private ObjectNode finishMessage(ObjectNode m) {
            ArrayNode blocks = (ArrayNode) m.get("content");
            if ("user".equals(m.get("role").asText())) {
                // Anthropic wants tool_result blocks before any other content of the user turn
                ArrayNode ordered = Json.arr();
                for (JsonNode b : blocks) {
                    if ("tool_result".equals(Json.text(b, "type"))) {
                        ordered.add(b);
                    }
                }
                for (JsonNode b : blocks) {
                    if (!"tool_result".equals(Json.text(b, "type"))) {
                        ordered.add(b);
                    }
                }
                blocks = ordered;
            }
            ObjectNode out = Json.obj();
            out.put("role", m.get("role").asText());
            out.set("content", collapseText(blocks));
            return out;
        }

        /** A trailing assistant turn is a prefill; Anthropic rejects trailing whitespace there. */
        private void stripPrefillWhitespace() {
            ObjectNode last = messages.get(messages.size() - 1);
            if (!"assistant".equals(last.get("role").asText())) {
                return;
            }
            ArrayNode blocks = (ArrayNode) last.get("content");
            JsonNode lastBlock = blocks.get(blocks.size() - 1);
            if ("text".equals(Json.text(lastBlock, "type"))) {
                String t = lastBlock.get("text").asText().stripTrailing();
                if (!t.isEmpty()) {
                    ((ObjectNode) lastBlock).put("text", t);
                } else {
                    blocks.remove(blocks.size() - 1);
                    if (blocks.isEmpty()) {
                        messages.remove(messages.size() - 1);
                        if (messages.isEmpty()) {
                            throw new TranslationException("messages", "messages must contain at least one non-empty"
                                    + " user or assistant message.");
                        }
                    }
                }
            }
        }

        /** A single plain text block is written as a string, like most clients do. */
        private static JsonNode collapseText(ArrayNode blocks) {
            if (blocks.size() == 1 && "text".equals(Json.text(blocks.get(0), "type")) && blocks.get(0).size() == 2) {
                return blocks.get(0).get("text");
            }
            return blocks;
        }

        private ArrayNode textOnlyBlocks(JsonNode content, String path, JsonNode messageCache) {
            ArrayNode out = Json.arr();
            if (content == null || content.isNull()) {
                return out;
            }
            if (content.isTextual()) {
                addText(out, content.asText(), messageCache);
                return out;
            }
            if (!content.isArray()) {
                throw new TranslationException(path, path + " must be a string or an array of content parts.");
            }
            for (int i = 0; i < content.size(); i++) {
                JsonNode p = content.get(i);
                String type = Json.text(p, "type");
                if (!"text".equals(type)) {
                    throw new TranslationException(path + "[" + i + "].type", path + "[" + i + "] has type '" + type
                            + "', but only text parts are allowed here.");
                }
                addText(out, Json.text(p, "text"), cacheControl(p));
            }
            applyMessageCache(out, messageCache, content.isArray());
            return out;
        }

        private ArrayNode userBlocks(JsonNode content, String path, JsonNode messageCache) {
            ArrayNode out = Json.arr();
            if (content == null || content.isNull()) {
                return out;
            }
            if (content.isTextual()) {
                addText(out, content.asText(), messageCache);
                return out;
            }
            if (!content.isArray()) {
                throw new TranslationException(path, path + " must be a string or an array of content parts.");
            }
            for (int i = 0; i < content.size(); i++) {
                JsonNode p = content.get(i);
                String pp = path + "[" + i + "]";
                String type = Json.text(p, "type");
                if (type == null) {
                    throw new TranslationException(pp + ".type", pp + " has no type.");
                }
                switch (type) {
                    case "text" -> addText(out, Json.text(p, "text"), cacheControl(p));
                    case "image_url" -> out.add(image(p, pp));
                    case "file" -> out.add(document(p, pp));
                    case "input_audio" -> throw new TranslationException(pp, "Audio input is not supported by Anthropic"
                            + " models: route this call to an audio-capable OpenAI model or send a transcript as text.");
                    default -> throw new TranslationException(pp + ".type", pp + " has content type '" + type
                            + "', which Anthropic models do not accept: use text, image_url or file (PDF).");
                }
            }
            applyMessageCache(out, messageCache, true);
            return out;
        }

        /** cache_control on the message itself (LiteLLM style) goes on its last block. */
        private static void applyMessageCache(ArrayNode out, JsonNode messageCache, boolean fromArray) {
            if (messageCache != null && fromArray && !out.isEmpty()) {
                ((ObjectNode) out.get(out.size() - 1)).set("cache_control", messageCache.deepCopy());
            }
        }

        private static void addText(ArrayNode out, String text, JsonNode cacheControl) {
            if (text == null || text.isEmpty()) {
                return; // Anthropic rejects empty text blocks
            }
            ObjectNode b = out.addObject();
            b.put("type", "text");
            b.put("text", text);
            if (cacheControl != null) {
                b.set("cache_control", cacheControl.deepCopy());
            }
        }

        private ObjectNode image(JsonNode part, String path) {
            JsonNode iu = part.get("image_url");
            String url = iu == null ? null : iu.isTextual() ? iu.asText() : Json.text(iu, "url");
            if (url == null || url.isEmpty()) {
                throw new TranslationException(path + ".image_url.url", path + " has no image_url.url.");
            }
            String detail = iu.isObject() ? Json.text(iu, "detail") : null;
            if (detail != null && !"auto".equals(detail)) {
                warnings.add("dropped 'image_url.detail': Anthropic chooses image resolution itself");
            }
            ObjectNode b = Json.obj();
            b.put("type", "image");
            b.set("source", mediaSource(url, path + ".image_url.url", "image"));
            JsonNode cc = cacheControl(part);
            if (cc != null) {
                b.set("cache_control", cc.deepCopy());
            }
            return b;
        }

        private ObjectNode document(JsonNode part, String path) {
            JsonNode file = part.get("file");
            String data = Json.text(file, "file_data");
            if (data == null) {
                throw new TranslationException(path + ".file", path + " references an uploaded OpenAI file (file_id), which"
                        + " an Anthropic model cannot read: send the file inline as file_data (a data: URL).");
            }
            ObjectNode b = Json.obj();
            b.put("type", "document");
            b.set("source", mediaSource(data, path + ".file.file_data", "document"));
            JsonNode cc = cacheControl(part);
            if (cc != null) {
                b.set("cache_control", cc.deepCopy());
            }
            return b;
        }

        /** data: URL to a base64 source, http(s) URL to a url source. */
        private static ObjectNode mediaSource(String url, String path, String what) {
            ObjectNode src = Json.obj();
            if (url.startsWith("data:")) {
                int comma = url.indexOf(',');
                String meta = comma < 0 ? "" : url.substring(5, comma);
                if (comma < 0 || !meta.endsWith(";base64")) {
                    throw new TranslationException(path, path + " must be a base64 data: URL (data:<media type>;base64,<data>).");
                }
                String mediaType = meta.substring(0, meta.length() - ";base64".length());
                if (mediaType.isEmpty()) {
                    throw new TranslationException(path, path + " is a data: URL without a media type.");
                }
                src.put("type", "base64");
                src.put("media_type", mediaType);
                src.put("data", url.substring(comma + 1));
                return src;
            }
            if (url.startsWith("https://") || url.startsWith("http://")) {
                src.put("type", "url");
                src.put("url", url);
                return src;
            }
            throw new TranslationException(path, path + " must be an http(s) URL or a base64 data: URL for the " + what + ".");
        }

        private ArrayNode assistantBlocks(JsonNode m, String path) {
            ArrayNode out = Json.arr();
            JsonNode thinkingBlocks = m.get("thinking_blocks");
            if (thinkingBlocks != null && thinkingBlocks.isArray()) {
                for (JsonNode tb : thinkingBlocks) {
                    String type = Json.text(tb, "type");
                    String signature = Json.text(tb, "signature");
                    if ("thinking".equals(type) && signature != null && !signature.isEmpty()) {
                        out.addObject().put("type", "thinking").put("thinking", Json.text(tb, "thinking"))
                                .put("signature", signature);
                    } else if ("redacted_thinking".equals(type) && Json.text(tb, "data") != null) {
                        out.addObject().put("type", "redacted_thinking").put("data", Json.text(tb, "data"));
                    } else {
                        warnings.add("dropped an unsigned assistant thinking block: Anthropic only accepts its own signed thinking");
                    }
                }
            } else if (Json.present(m, "reasoning_content")) {
                warnings.add("dropped assistant 'reasoning_content': Anthropic only accepts its own signed thinking");
            }
            JsonNode content = m.get("content");
            if (content != null && content.isTextual()) {
                addText(out, content.asText(), cacheControl(m));
            } else if (content != null && content.isArray()) {
                for (int i = 0; i < content.size(); i++) {
                    JsonNode p = content.get(i);
                    String type = Json.text(p, "type");
                    if ("text".equals(type)) {
                        addText(out, Json.text(p, "text"), cacheControl(p));
                    } else if ("refusal".equals(type)) {
                        addText(out, Json.text(p, "refusal"), null);
                    } else {
                        throw new TranslationException(path + ".content[" + i + "].type", path + ".content[" + i
                                + "] has type '" + type + "'; assistant content may only hold text and refusal parts.");
                    }
                }
                applyMessageCache(out, cacheControl(m), true);
            } else if (content != null && !content.isNull()) {
                throw new TranslationException(path + ".content", path + ".content must be a string or an array of parts.");
            }
            if (Json.text(m, "refusal") != null && (content == null || content.isNull())) {
                addText(out, Json.text(m, "refusal"), null);
            }
            JsonNode calls = m.get("tool_calls");
            if (calls != null && calls.isArray()) {
                for (int i = 0; i < calls.size(); i++) {
                    JsonNode c = calls.get(i);
                    String cp = path + ".tool_calls[" + i + "]";
                    String id = Json.text(c, "id");
                    JsonNode fn = c.get("function");
                    String name = Json.text(fn, "name");
                    if (id == null || name == null) {
                        throw new TranslationException(cp, cp + " needs an id and a function.name.");
                    }
                    ObjectNode b = out.addObject();
                    b.put("type", "tool_use");
                    b.put("id", id);
                    b.put("name", name);
                    b.set("input", parseArguments(fn.get("arguments"), cp + ".function.arguments"));
                }
            }
            JsonNode legacy = m.get("function_call");
            if (legacy != null && legacy.isObject()) {
                String name = Json.text(legacy, "name");
                if (name == null) {
                    throw new TranslationException(path + ".function_call.name", path + ".function_call needs a name.");
                }
                String id = "call_legacy_" + path.replaceAll("\\D", "");
                pendingLegacyIds.computeIfAbsent(name, k -> new ArrayDeque<>()).addLast(id);
                ObjectNode b = out.addObject();
                b.put("type", "tool_use");
                b.put("id", id);
                b.put("name", name);
                b.set("input", parseArguments(legacy.get("arguments"), path + ".function_call.arguments"));
            }
            return out;
        }

        private static JsonNode parseArguments(JsonNode args, String path) {
            if (args == null || args.isNull() || (args.isTextual() && args.asText().isBlank())) {
                return Json.obj();
            }
            if (args.isObject()) {
                return args.deepCopy(); // some clients send the object itself
            }
            JsonNode parsed;
            try {
                parsed = Json.parse(args.asText());
            } catch (JsonProcessingException e) {
                throw new TranslationException(path, path + " is not valid JSON (line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr() + "): send the tool call's arguments exactly as the model"
                        + " produced them, a JSON object encoded as a string.");
            }
            if (parsed == null || !parsed.isObject()) {
                throw new TranslationException(path, path + " must encode a JSON object; Anthropic tool input is always an object.");
            }
            return parsed;
        }

        private ObjectNode toolResult(String toolUseId, JsonNode content, String path, JsonNode cacheControl) {
            ObjectNode b = Json.obj();
            b.put("type", "tool_result");
            b.put("tool_use_id", toolUseId);
            if (content != null && content.isArray()) {
                ArrayNode parts = Json.arr();
                for (int i = 0; i < content.size(); i++) {
                    JsonNode p = content.get(i);
                    String type = Json.text(p, "type");
                    if ("text".equals(type)) {
                        addText(parts, Json.text(p, "text"), cacheControl(p));
                    } else if ("image_url".equals(type)) {
                        parts.add(image(p, path + "[" + i + "]"));
                    } else {
                        throw new TranslationException(path + "[" + i + "].type", path + "[" + i + "] has type '" + type
                                + "'; tool results may hold text and image_url parts.");
                    }
                }
                b.set("content", collapseText(parts));
            } else if (content != null && !content.isNull()) {
                String text = content.isTextual() ? content.asText() : Json.write(content);
                if (!text.isEmpty()) {
                    b.put("content", text);
                }
            }
            if (cacheControl != null) {
                b.set("cache_control", cacheControl.deepCopy());
            }
            return b;
        }

        // ------------------------------------------------------------ tools

        private ArrayNode convertTools() {
            ArrayNode out = Json.arr();
            JsonNode tools = in.get("tools");
            if (tools != null && tools.isArray()) {
                for (int i = 0; i < tools.size(); i++) {
                    JsonNode t = tools.get(i);
                    String type = Json.text(t, "type");
                    if (!"function".equals(type)) {
                        warnings.add("dropped a tool of type '" + type + "': only function tools translate to Anthropic");
                        continue;
                    }
                    out.add(tool(t.get("function"), "tools[" + i + "].function", cacheControl(t)));
                }
            }
            JsonNode functions = in.get("functions");
            if (functions != null && functions.isArray()) {
                for (int i = 0; i < functions.size(); i++) {
                    out.add(tool(functions.get(i), "functions[" + i + "]", null));
                }
            }
            return out;
        }

        private ObjectNode tool(JsonNode fn, String path, JsonNode cacheControl) {
            String name = Json.text(fn, "name");
            if (name == null || name.isEmpty()) {
                throw new TranslationException(path + ".name", path + " needs a name.");
            }
            ObjectNode t = Json.obj();
            t.put("name", name);
            if (Json.text(fn, "description") != null) {
                t.put("description", Json.text(fn, "description"));
            }
            JsonNode params = fn.get("parameters");
            if (params != null && params.isObject()) {
                t.set("input_schema", params.deepCopy());
            } else {
                t.putObject("input_schema").put("type", "object").putObject("properties");
            }
            if (fn.path("strict").asBoolean(false)) {
                warnings.add("dropped 'tools[].function.strict': Anthropic does not enforce the schema strictly");
            }
            if (cacheControl != null) {
                t.set("cache_control", cacheControl.deepCopy());
            }
            return t;
        }

        private ObjectNode convertToolChoice(ArrayNode tools) {
            JsonNode tc = in.get("tool_choice");
            if (tc == null || tc.isNull()) {
                tc = legacyFunctionCall();
            }
            boolean noParallel = in.has("parallel_tool_calls") && !in.get("parallel_tool_calls").asBoolean(true);
            ObjectNode out = null;
            if (tc != null && !tc.isNull()) {
                if (tc.isTextual()) {
                    switch (tc.asText()) {
                        case "auto" -> out = Json.obj().put("type", "auto");
                        case "none" -> out = Json.obj().put("type", "none");
                        case "required" -> out = Json.obj().put("type", "any");
                        default -> throw new TranslationException("tool_choice", "tool_choice must be auto, none, required or"
                                + " {\"type\":\"function\",\"function\":{\"name\":...}}.");
                    }
                } else if ("function".equals(Json.text(tc, "type")) && Json.text(tc.get("function"), "name") != null) {
                    out = Json.obj().put("type", "tool").put("name", Json.text(tc.get("function"), "name"));
                } else {
                    warnings.add("replaced tool_choice of type '" + Json.text(tc, "type") + "' by auto: no Anthropic equivalent");
                    out = Json.obj().put("type", "auto");
                }
            }
            if (tools.isEmpty()) {
                if (out != null && !"none".equals(Json.text(out, "type")) && !"auto".equals(Json.text(out, "type"))) {
                    warnings.add("dropped 'tool_choice': the request has no tools");
                }
                return null;
            }
            if (noParallel) {
                if (out == null) {
                    out = Json.obj().put("type", "auto");
                }
                if (!"none".equals(Json.text(out, "type"))) {
                    out.put("disable_parallel_tool_use", true);
                }
            }
            return out;
        }

        private JsonNode legacyFunctionCall() {
            JsonNode fc = in.get("function_call");
            if (fc == null || fc.isNull()) {
                return null;
            }
            if (fc.isTextual()) {
                return "none".equals(fc.asText()) ? Json.F.textNode("none") : Json.F.textNode("auto");
            }
            ObjectNode named = Json.obj().put("type", "function");
            named.putObject("function").put("name", Json.text(fc, "name"));
            return named;
        }


        // ------------------------------------------------------------ limits and sampling

        private int maxTokens() {
            JsonNode requested = Json.present(in, "max_completion_tokens") ? in.get("max_completion_tokens") : in.get("max_tokens");
            if (requested == null || requested.isNull()) {
                return modelMax > 0 ? modelMax : DEFAULT_MAX_TOKENS;
            }
            if (!requested.canConvertToInt() || requested.asInt() < 1) {
                throw new TranslationException(Json.present(in, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens",
                        "max_tokens / max_completion_tokens must be a positive integer.");
            }
            int v = requested.asInt();
            if (modelMax > 0 && v > modelMax) {
                warnings.add("lowered max_tokens from " + v + " to the model's output limit " + modelMax);
                return modelMax;
            }
            return v;
        }

        private ArrayNode stopSequences() {
            JsonNode stop = in.get("stop");
            if (stop == null || stop.isNull()) {
                return null;
            }
            ArrayNode out = Json.arr();
            List<String> all = new ArrayList<>();
            if (stop.isTextual()) {
                all.add(stop.asText());
            } else if (stop.isArray()) {
                stop.forEach(s -> all.add(s.asText()));
            }
            for (String s : all) {
                if (s.isBlank()) {
                    warnings.add("dropped a whitespace-only stop sequence: Anthropic rejects them");
                } else {
                    out.add(s);
                }
            }
            return out.isEmpty() ? null : out;
        }

        private ObjectNode thinking(int maxTokens, ObjectNode toolChoice) {
            ObjectNode thinking = null;
            JsonNode explicit = in.get("thinking");
            if (explicit != null && explicit.isObject()) {
                thinking = explicit.deepCopy();
            } else if (Json.text(in, "reasoning_effort") != null) {
                int budget = ReasoningEffort.budgetFor(Json.text(in, "reasoning_effort"));
                if (budget > 0) {
                    thinking = Json.obj().put("type", "enabled").put("budget_tokens", budget);
                }
            }
            if (thinking == null || !"enabled".equals(Json.text(thinking, "type"))) {
                return thinking;
            }
            String forced = toolChoice == null ? null : Json.text(toolChoice, "type");
            if ("any".equals(forced) || "tool".equals(forced)) {
                warnings.add("dropped extended thinking: Anthropic does not allow it together with a forced tool_choice");
                return null;
            }
            long budget = thinking.path("budget_tokens").asLong(ReasoningEffort.MIN_BUDGET);
            if (budget >= maxTokens) {
                // OpenAI counts reasoning inside max_completion_tokens: keep that cap and shrink the budget
                long shrunk = maxTokens / 2;
                if (shrunk < ReasoningEffort.MIN_BUDGET) {
                    warnings.add("dropped extended thinking: max_tokens " + maxTokens + " leaves no room for the minimum"
                            + " thinking budget of " + ReasoningEffort.MIN_BUDGET);
                    return null;
                }
                warnings.add("lowered the thinking budget from " + budget + " to " + shrunk + " to stay below max_tokens");
                thinking.put("budget_tokens", shrunk);
            }
            return thinking;
        }

        private void samplingParams(ObjectNode out, boolean thinking) {
            JsonNode temperature = in.get("temperature");
            if (temperature != null && temperature.isNumber()) {
                if (thinking) {
                    warnings.add("dropped 'temperature': Anthropic extended thinking requires the default temperature");
                } else if (temperature.asDouble() > 1.0) {
                    warnings.add("lowered temperature " + temperature.asText() + " to 1 (Anthropic's range is 0 to 1)");
                    out.put("temperature", 1);
                } else {
                    out.set("temperature", temperature);
                }
            }
            JsonNode topP = in.get("top_p");
            if (topP != null && topP.isNumber()) {
                if (thinking && topP.asDouble() < 0.95) {
                    warnings.add("dropped 'top_p': Anthropic extended thinking only allows top_p of 0.95 or more");
                } else {
                    out.set("top_p", topP);
                }
            }
            JsonNode topK = in.get("top_k");
            if (topK != null && topK.isNumber()) {
                if (thinking) {
                    warnings.add("dropped 'top_k': Anthropic extended thinking does not allow it");
                } else {
                    out.set("top_k", topK);
                }
            }
        }

        /** Applies response_format; true when it added the forced JSON-response tool. */
        private boolean applyResponseFormat(ArrayNode tools, ObjectNode thinking) {
            JsonNode rf = in.get("response_format");
            String type = Json.text(rf, "type");
            if (type == null || "text".equals(type)) {
                return false;
            }
            if ("json_object".equals(type)) {
                system.addObject().put("type", "text").put("text", JSON_OBJECT_INSTRUCTION);
                warnings.add("response_format json_object is requested by a system instruction: Anthropic has no JSON mode");
                return false;
            }
            if (!"json_schema".equals(type)) {
                warnings.add("dropped response_format of type '" + type + "'");
                return false;
            }
            JsonNode js = rf.get("json_schema");
            JsonNode schema = js == null ? null : js.get("schema");
            if (schema == null || !schema.isObject()) {
                schema = Json.obj().put("type", "object");
            }
            boolean objectRoot = "object".equals(Json.text(schema, "type"));
            if (tools.isEmpty() && thinking == null && objectRoot) {
                ObjectNode t = tools.addObject();
                t.put("name", JSON_RESPONSE_TOOL);
                String desc = Json.text(js, "description");
                t.put("description", "Give the final answer as this tool's input." + (desc == null ? "" : " " + desc));
                t.set("input_schema", schema.deepCopy());
                return true;
            }
            system.addObject().put("type", "text").put("text", JSON_OBJECT_INSTRUCTION
                    + " The JSON must conform to this JSON Schema: " + Json.write(schema));
            warnings.add("response_format json_schema is requested by a system instruction only (the request also uses"
                    + " tools or thinking, or the schema root is not an object)");
            return false;
        }
    }

    // =================================================================== responses

    /**
     * Translates a non-streaming OpenAI {@code chat.completion} into an Anthropic {@code message}
     * (first choice only). Usage: {@code input_tokens = prompt_tokens - cached_tokens -
     * cache_creation_input_tokens}, {@code cache_read_input_tokens = cached_tokens},
     * {@code output_tokens = completion_tokens} (reasoning stays inside).
     */
    public static ObjectNode response(ObjectNode openAiCompletion) {
        ObjectNode out = Json.obj();
        out.put("id", Json.text(openAiCompletion, "id") == null ? "msg_acc" : Json.text(openAiCompletion, "id"));
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", Json.text(openAiCompletion, "model"));
        ArrayNode content = out.putArray("content");
        JsonNode choices = openAiCompletion.get("choices");
        JsonNode choice = choices != null && choices.isArray() && !choices.isEmpty() ? choices.get(0) : Json.obj();
        JsonNode msg = choice.path("message");
        boolean refusal = false;

        JsonNode thinkingBlocks = msg.get("thinking_blocks");
        String reasoning = reasoningText(msg);
        if (thinkingBlocks != null && thinkingBlocks.isArray() && !thinkingBlocks.isEmpty()) {
            for (JsonNode tb : thinkingBlocks) {
                if ("redacted_thinking".equals(Json.text(tb, "type"))) {
                    content.addObject().put("type", "redacted_thinking").put("data", Json.text(tb, "data"));
                } else {
                    content.addObject().put("type", "thinking").put("thinking", Json.text(tb, "thinking"))
                            .put("signature", Json.text(tb, "signature") == null ? "" : Json.text(tb, "signature"));
                }
            }
        } else if (reasoning != null && !reasoning.isEmpty()) {
            content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
        }
        String text = contentText(msg.get("content"));
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        String refusalText = Json.text(msg, "refusal");
        if (refusalText != null && !refusalText.isEmpty()) {
            content.addObject().put("type", "text").put("text", refusalText);
            refusal = text.isEmpty();
        }
        JsonNode calls = msg.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (JsonNode c : calls) {
                content.add(toolUse(Json.text(c, "id"), c.get("function")));
            }
        }
        if (msg.path("function_call").isObject()) {
            content.add(toolUse("call_" + out.get("id").asText(), msg.get("function_call")));
        }
        String stop = StopReasons.toAnthropic(Json.text(choice, "finish_reason"));
        out.put("stop_reason", refusal ? "refusal" : stop);
        out.putNull("stop_sequence");
        out.set("usage", anthropicUsage(openAiCompletion.get("usage"), 0));
        return out;
    }

    static String reasoningText(JsonNode msgOrDelta) {
        String r = Json.text(msgOrDelta, "reasoning_content");
        return r != null ? r : Json.text(msgOrDelta, "reasoning"); // OpenRouter / vLLM spelling
    }

    static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode p : content) {
                if ("text".equals(Json.text(p, "type")) && Json.text(p, "text") != null) {
                    sb.append(Json.text(p, "text"));
                }
            }
        }
        return sb.toString();
    }

    private static ObjectNode toolUse(String id, JsonNode fn) {
        ObjectNode b = Json.obj();
        b.put("type", "tool_use");
        b.put("id", id);
        b.put("name", Json.text(fn, "name"));
        b.set("input", lenientArguments(fn == null ? null : fn.get("arguments")));
        return b;
    }

    /**
     * Model-produced arguments are not the caller's fault, so a broken JSON string does not fail
     * the response: it is kept under {@code _raw_arguments} for the client to see.
     */
    static JsonNode lenientArguments(JsonNode args) {
        if (args == null || args.isNull() || (args.isTextual() && args.asText().isBlank())) {
            return Json.obj();
        }
        if (args.isObject()) {
            return args.deepCopy();
        }
        try {
            JsonNode parsed = Json.parse(args.asText());
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (JsonProcessingException e) {
            // fall through to the raw form
        }
        return Json.obj().put("_raw_arguments", args.asText());
    }

    /**
     * OpenAI usage as Anthropic usage. Cached tokens leave {@code input_tokens} and become
     * {@code cache_read_input_tokens}; the {@code cache_creation_input_tokens} extension (written by
     * {@link AnthropicToOpenAi}) is honoured the same way. Reasoning stays inside output.
     */
    static ObjectNode anthropicUsage(JsonNode openAiUsage, long inputTokensHint) {
        RawUsage u = UsageReader.fromOpenAi(openAiUsage);
        long cacheWrite = Json.longOr(openAiUsage, "cache_creation_input_tokens", 0);
        ObjectNode usage = Json.obj();
        long prompt = u.inputTokens() > 0 ? u.inputTokens() : inputTokensHint;
        usage.put("input_tokens", Math.max(0, prompt - u.cachedTokens() - cacheWrite));
        usage.put("cache_creation_input_tokens", cacheWrite);
        usage.put("cache_read_input_tokens", u.cachedTokens());
        usage.put("output_tokens", u.outputTokens());
        return usage;
    }
}
