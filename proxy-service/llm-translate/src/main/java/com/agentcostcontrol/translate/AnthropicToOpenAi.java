package com.agentcostcontrol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Anthropic format to OpenAI format: a Messages request becomes a Chat Completions request, and an
 * Anthropic {@code message} becomes an OpenAI {@code chat.completion}. Every mapping and every
 * lossy case is listed in {@code docs/TRANSLATION.md}. All methods are pure and thread-safe.
 */
public final class AnthropicToOpenAi {

    /** Which field carries the output limit in the translated OpenAI request. */
    public enum MaxTokensField {
        /** {@code max_completion_tokens}: required by OpenAI reasoning models, accepted by all current OpenAI models. */
        MAX_COMPLETION_TOKENS,
        /** {@code max_tokens}: for OpenAI-compatible servers that only know the legacy name. */
        MAX_TOKENS
    }

    /** OpenAI accepts at most this many stop sequences. */
    static final int OPENAI_MAX_STOP = 4;

    private static final Set<String> HANDLED = Set.of("model", "system", "messages", "max_tokens", "stop_sequences",
            "temperature", "top_p", "top_k", "stream", "metadata", "tools", "tool_choice", "thinking");

    private AnthropicToOpenAi() {
    }

    // =================================================================== requests

    /** Same as {@link #request(ObjectNode, String, MaxTokensField)} with {@code max_completion_tokens}. */
    public static TranslatedRequest request(ObjectNode anthropicRequest, String targetModel) {
        return request(anthropicRequest, targetModel, MaxTokensField.MAX_COMPLETION_TOKENS);
    }

    /**
     * Translates an Anthropic Messages request into an OpenAI Chat Completions request.
     *
     * @param anthropicRequest the caller's body (not modified)
     * @param targetModel      the OpenAI(-compatible) model id to put in {@code model}
     * @param maxTokensField   the name of the output-limit field the target understands
     * @throws TranslationException when the request cannot be served faithfully
     */
    public static TranslatedRequest request(ObjectNode anthropicRequest, String targetModel, MaxTokensField maxTokensField) {
        return new RequestBuilder(anthropicRequest).build(targetModel, maxTokensField);
    }

    private static final class RequestBuilder {
        private final ObjectNode in;
        private final Set<String> warnings = new LinkedHashSet<>();
        private final ArrayNode messages = Json.arr();

        RequestBuilder(ObjectNode in) {
            this.in = in;
        }

        TranslatedRequest build(String targetModel, MaxTokensField maxTokensField) {
            for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                JsonNode v = in.get(f);
                if (!HANDLED.contains(f) && v != null && !v.isNull()) {
                    warnings.add("dropped '" + f + "': no OpenAI equivalent");
                }
            }
            ObjectNode out = Json.obj();
            out.put("model", targetModel);
            system();
            convertMessages();
            out.set("messages", messages);

            JsonNode maxTokens = in.get("max_tokens");
            if (maxTokens != null && maxTokens.isNumber()) {
                out.put(maxTokensField == MaxTokensField.MAX_TOKENS ? "max_tokens" : "max_completion_tokens", maxTokens.asLong());
            }
            JsonNode stops = in.get("stop_sequences");
            if (stops != null && stops.isArray() && !stops.isEmpty()) {
                ArrayNode stop = out.putArray("stop");
                for (int i = 0; i < stops.size(); i++) {
                    if (i == OPENAI_MAX_STOP) {
                        warnings.add("dropped stop sequences beyond the first " + OPENAI_MAX_STOP + ": OpenAI accepts at most "
                                + OPENAI_MAX_STOP);
                        break;
                    }
                    stop.add(stops.get(i).asText());
                }
            }
            copyNumber(out, "temperature");
            copyNumber(out, "top_p");
            if (Json.present(in, "top_k")) {
                warnings.add("dropped 'top_k': OpenAI has no top-k sampling");
            }
            if (in.path("stream").asBoolean(false)) {
                out.put("stream", true);
                // usage is only sent at the end of an OpenAI stream when asked for; billing needs it
                out.putObject("stream_options").put("include_usage", true);
            }
            JsonNode metadata = in.get("metadata");
            if (metadata != null && metadata.isObject()) {
                String user = Json.text(metadata, "user_id");
                if (user != null && !user.isEmpty()) {
                    out.put("user", user);
                }
                for (Iterator<String> it = metadata.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!"user_id".equals(f)) {
                        warnings.add("dropped 'metadata." + f + "': no OpenAI equivalent");
                    }
                }
            }
            ArrayNode tools = tools();
            if (!tools.isEmpty()) {
                out.set("tools", tools);
                toolChoice(out);
            }
            thinking(out);
            return new TranslatedRequest(out, new ArrayList<>(warnings));
        }

        private void copyNumber(ObjectNode out, String field) {
            JsonNode v = in.get(field);
            if (v != null && v.isNumber()) {
                out.set(field, v);
            }
        }

        private void noteCacheControl(JsonNode block) {
            if (Json.present(block, "cache_control")) {
                warnings.add("dropped 'cache_control': OpenAI caches prompt prefixes automatically");
            }
        }

        private void system() {
            JsonNode system = in.get("system");
            if (system == null || system.isNull()) {
                return;
            }
            String text;
            if (system.isTextual()) {
                text = system.asText();
            } else if (system.isArray()) {
                // joined into one string: some OpenAI-compatible servers reject array system content
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < system.size(); i++) {
                    JsonNode b = system.get(i);
                    if (!"text".equals(Json.text(b, "type"))) {
                        throw new TranslationException("system[" + i + "].type", "system[" + i + "] must be a text block.");
                    }
                    noteCacheControl(b);
                    if (sb.length() > 0) {
                        sb.append("\n\n");
                    }
                    sb.append(Json.text(b, "text"));
                }
                text = sb.toString();
            } else {
                throw new TranslationException("system", "system must be a string or an array of text blocks.");
            }
            if (!text.isEmpty()) {
                messages.addObject().put("role", "system").put("content", text);
            }
        }

        private void convertMessages() {
            JsonNode msgs = in.get("messages");
            if (msgs == null || !msgs.isArray() || msgs.isEmpty()) {
                throw new TranslationException("messages", "messages must be a non-empty array.");
            }
            for (int i = 0; i < msgs.size(); i++) {
                JsonNode m = msgs.get(i);
                String path = "messages[" + i + "]";
                String role = Json.text(m, "role");
                JsonNode content = m.get("content");
                if ("user".equals(role)) {
                    user(content, path + ".content");
                } else if ("assistant".equals(role)) {
                    assistant(content, path + ".content");
                } else {
                    throw new TranslationException(path + ".role", path + " has role '" + role
                            + "': Anthropic messages use user or assistant (the system prompt is the top-level system field).");
                }
            }
        }

        private void user(JsonNode content, String path) {
            if (content != null && content.isTextual()) {
                messages.addObject().put("role", "user").put("content", content.asText());
                return;
            }
            if (content == null || !content.isArray()) {
                throw new TranslationException(path, path + " must be a string or an array of content blocks.");
            }
            ArrayNode parts = Json.arr();
            for (int i = 0; i < content.size(); i++) {
                JsonNode b = content.get(i);
                String bp = path + "[" + i + "]";
                String type = Json.text(b, "type");
                noteCacheControl(b);
                switch (type == null ? "" : type) {
                    case "text" -> parts.addObject().put("type", "text").put("text", Json.text(b, "text"));
                    case "image" -> parts.add(imagePart(b, bp));
                    case "document" -> parts.add(documentPart(b, bp));
                    case "tool_result" -> toolResult(b, bp, parts);
                    default -> warnings.add("dropped a user content block of type '" + type + "': no OpenAI equivalent");
                }
            }
            if (parts.isEmpty()) {
                return;
            }
            ObjectNode m = messages.addObject().put("role", "user");
            if (parts.size() == 1 && "text".equals(Json.text(parts.get(0), "type"))) {
                m.put("content", Json.text(parts.get(0), "text"));
            } else {
                m.set("content", parts);
            }
        }

        /**
         * A tool_result becomes a role=tool message, written before the rest of the user turn so it
         * directly follows the assistant tool calls. OpenAI tool messages hold text only: images in a
         * result move to the user message that follows.
         */
        private void toolResult(JsonNode b, String path, ArrayNode userParts) {
            String id = Json.text(b, "tool_use_id");
            if (id == null) {
                throw new TranslationException(path + ".tool_use_id", path + " needs a tool_use_id.");
            }
            JsonNode content = b.get("content");
            StringBuilder text = new StringBuilder();
            if (content != null && content.isTextual()) {
                text.append(content.asText());
            } else if (content != null && content.isArray()) {
                for (int i = 0; i < content.size(); i++) {
                    JsonNode p = content.get(i);
                    String type = Json.text(p, "type");
                    noteCacheControl(p);
                    if ("text".equals(type)) {
                        if (text.length() > 0) {
                            text.append("\n");
                        }
                        text.append(Json.text(p, "text"));
                    } else if ("image".equals(type)) {
                        userParts.add(imagePart(p, path + ".content[" + i + "]"));
                        warnings.add("moved an image out of a tool_result into the following user message: OpenAI tool"
                                + " messages hold text only");
                    } else {
                        warnings.add("dropped a tool_result content block of type '" + type + "'");
                    }
                }
            }
            String result = text.toString();
            if (b.path("is_error").asBoolean(false)) {
                // OpenAI has no error flag on tool messages; keep the meaning in the text
                result = "[tool error] " + result;
            }
            messages.addObject().put("role", "tool").put("tool_call_id", id).put("content", result);
        }

        private ObjectNode imagePart(JsonNode b, String path) {
            JsonNode src = b.get("source");
            String type = Json.text(src, "type");
            String url;
            if ("base64".equals(type)) {
                url = "data:" + Json.text(src, "media_type") + ";base64," + Json.text(src, "data");
            } else if ("url".equals(type)) {
                url = Json.text(src, "url");
            } else {
                throw new TranslationException(path + ".source.type", path + " has an image source of type '" + type
                        + "', which OpenAI cannot read: send the image as base64 or url.");
            }
            ObjectNode p = Json.obj().put("type", "image_url");
            p.putObject("image_url").put("url", url);
            return p;
        }

        private ObjectNode documentPart(JsonNode b, String path) {
            JsonNode src = b.get("source");
            String type = Json.text(src, "type");
            if ("text".equals(type)) {
                return Json.obj().put("type", "text").put("text", Json.text(src, "data"));
            }
            if ("base64".equals(type)) {
                ObjectNode p = Json.obj().put("type", "file");
                String title = Json.text(b, "title");
                p.putObject("file").put("filename", title != null ? title : "document.pdf")
                        .put("file_data", "data:" + Json.text(src, "media_type") + ";base64," + Json.text(src, "data"));
                return p;
            }
            throw new TranslationException(path + ".source.type", path + " has a document source of type '" + type
                    + "', which OpenAI cannot read: send the document as base64 (PDF) or text.");
        }

        private void assistant(JsonNode content, String path) {
            ObjectNode m = Json.obj().put("role", "assistant");
            if (content != null && content.isTextual()) {
                m.put("content", content.asText());
                messages.add(m);
                return;
            }
            if (content == null || !content.isArray()) {
                throw new TranslationException(path, path + " must be a string or an array of content blocks.");
            }
            ArrayNode texts = Json.arr();
            ArrayNode calls = Json.arr();
            for (JsonNode b : content) {
                String type = Json.text(b, "type");
                noteCacheControl(b);
                switch (type == null ? "" : type) {
                    case "text" -> texts.addObject().put("type", "text").put("text", Json.text(b, "text"));
                    case "tool_use" -> {
                        ObjectNode c = calls.addObject();
                        c.put("id", Json.text(b, "id"));
                        c.put("type", "function");
                        JsonNode input = b.get("input");
                        c.putObject("function").put("name", Json.text(b, "name"))
                                .put("arguments", Json.write(input == null || input.isNull() ? Json.obj() : input));
                    }
                    case "thinking", "redacted_thinking" ->
                            warnings.add("dropped assistant thinking blocks: OpenAI does not accept reasoning as input");
                    default -> warnings.add("dropped an assistant content block of type '" + type + "': no OpenAI equivalent");
                }
            }
            if (texts.isEmpty()) {
                m.putNull("content");
            } else if (texts.size() == 1) {
                m.set("content", texts.get(0).get("text"));
            } else {
                m.set("content", texts);
            }
            if (!calls.isEmpty()) {
                m.set("tool_calls", calls);
            }
            if (texts.isEmpty() && calls.isEmpty()) {
                return; // nothing OpenAI can take; an empty assistant message would be rejected
            }
            messages.add(m);
        }

        private ArrayNode tools() {
            ArrayNode out = Json.arr();
            JsonNode tools = in.get("tools");
            if (tools == null || !tools.isArray()) {
                return out;
            }
            for (JsonNode t : tools) {
                String type = Json.text(t, "type");
                if (type != null && !"custom".equals(type)) {
                    warnings.add("dropped server tool '" + type + "': it runs inside Anthropic and has no OpenAI equivalent");
                    continue;
                }
                noteCacheControl(t);
                ObjectNode fn = out.addObject().put("type", "function").putObject("function");
                fn.put("name", Json.text(t, "name"));
                if (Json.text(t, "description") != null) {
                    fn.put("description", Json.text(t, "description"));
                }
                JsonNode schema = t.get("input_schema");
                fn.set("parameters", schema != null && schema.isObject() ? schema.deepCopy()
                        : Json.obj().put("type", "object"));
            }
            return out;
        }

        private void toolChoice(ObjectNode out) {
            JsonNode tc = in.get("tool_choice");
            if (tc == null || !tc.isObject()) {
                return;
            }
            String type = Json.text(tc, "type");
            switch (type == null ? "" : type) {
                case "auto" -> out.put("tool_choice", "auto");
                case "any" -> out.put("tool_choice", "required");
                case "none" -> out.put("tool_choice", "none");
                case "tool" -> {
                    ObjectNode named = out.putObject("tool_choice").put("type", "function");
                    named.putObject("function").put("name", Json.text(tc, "name"));
                }
                default -> warnings.add("dropped tool_choice of type '" + type + "'");
            }
            if (tc.path("disable_parallel_tool_use").asBoolean(false) && !"none".equals(type)) {
                out.put("parallel_tool_calls", false);
            }
        }

        private void thinking(ObjectNode out) {
            JsonNode thinking = in.get("thinking");
            String type = Json.text(thinking, "type");
            if ("enabled".equals(type)) {
                out.put("reasoning_effort", ReasoningEffort.effortFor(thinking.path("budget_tokens").asLong(ReasoningEffort.MIN_BUDGET)));
            } else if ("adaptive".equals(type)) {
                out.put("reasoning_effort", "medium");
            }
        }
    }

    // =================================================================== responses

    /** Same as {@link #response(ObjectNode, long)} stamped with the current time. */
    public static ObjectNode response(ObjectNode anthropicMessage) {
        return response(anthropicMessage, Instant.now().getEpochSecond());
    }

    /**
     * Translates a non-streaming Anthropic {@code message} into an OpenAI {@code chat.completion}.
     * Text blocks are concatenated into {@code content}; thinking goes to {@code reasoning_content}
     * (plus the signed blocks in {@code thinking_blocks}, so a client can send them back); tool_use
     * becomes {@code tool_calls}. Usage: {@code prompt_tokens = input + cache_read + cache_creation},
     * {@code prompt_tokens_details.cached_tokens = cache_read}, {@code completion_tokens = output}
     * (thinking included), and {@code cache_creation_input_tokens} as an extension when non-zero.
     */
    public static ObjectNode response(ObjectNode anthropicMessage, long createdEpochSeconds) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode thinkingBlocks = Json.arr();
        ArrayNode calls = Json.arr();
        boolean jsonTool = false;
        JsonNode content = anthropicMessage.get("content");
        if (content != null && content.isArray()) {
            for (JsonNode b : content) {
                switch (String.valueOf(Json.text(b, "type"))) {
                    case "text" -> text.append(Json.text(b, "text"));
                    case "thinking" -> {
                        reasoning.append(Json.text(b, "thinking"));
                        thinkingBlocks.addObject().put("type", "thinking").put("thinking", Json.text(b, "thinking"))
                                .put("signature", Json.text(b, "signature"));
                    }
                    case "redacted_thinking" ->
                            thinkingBlocks.addObject().put("type", "redacted_thinking").put("data", Json.text(b, "data"));
                    case "tool_use" -> {
                        JsonNode input = b.get("input") == null ? Json.obj() : b.get("input");
                        if (OpenAiToAnthropic.JSON_RESPONSE_TOOL.equals(Json.text(b, "name"))) {
                            text.append(Json.write(input));
                            jsonTool = true;
                        } else {
                            ObjectNode c = calls.addObject();
                            c.put("id", Json.text(b, "id"));
                            c.put("type", "function");
                            c.putObject("function").put("name", Json.text(b, "name")).put("arguments", Json.write(input));
                        }
                    }
                    default -> {
                        // server tool blocks (web search, code execution...) have no chat-completion form
                    }
                }
            }
        }
        ObjectNode msg = Json.obj();
        msg.put("role", "assistant");
        if (text.length() == 0 && !calls.isEmpty()) {
            msg.putNull("content");
        } else {
            msg.put("content", text.toString());
        }
        if (!thinkingBlocks.isEmpty()) {
            msg.put("reasoning_content", reasoning.toString());
            msg.set("thinking_blocks", thinkingBlocks);
        }
        if (!calls.isEmpty()) {
            msg.set("tool_calls", calls);
        }
        msg.putNull("refusal");

        String finish = StopReasons.toOpenAi(Json.text(anthropicMessage, "stop_reason"));
        if (jsonTool && calls.isEmpty() && "tool_calls".equals(finish)) {
            finish = "stop";
        }
        ObjectNode out = Json.obj();
        out.put("id", Json.text(anthropicMessage, "id"));
        out.put("object", "chat.completion");
        out.put("created", createdEpochSeconds);
        out.put("model", Json.text(anthropicMessage, "model"));
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", msg);
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        out.set("usage", openAiUsage(anthropicMessage.get("usage")));
        return out;
    }

    /** Anthropic usage as OpenAI usage (see {@link #response(ObjectNode, long)}). */
    static ObjectNode openAiUsage(JsonNode anthropicUsage) {
        RawUsage u = UsageReader.fromAnthropic(anthropicUsage);
        long prompt = u.totalInputTokens();
        ObjectNode usage = Json.obj();
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", u.outputTokens());
        usage.put("total_tokens", prompt + u.outputTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
        long cacheWrite = u.cacheCreation5m() + u.cacheCreation1h();
        if (cacheWrite > 0) {
            usage.put("cache_creation_input_tokens", cacheWrite);
        }
        return usage;
    }
}
