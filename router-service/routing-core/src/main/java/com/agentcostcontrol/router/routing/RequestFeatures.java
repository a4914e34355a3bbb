package com.agentcostcontrol.router.routing;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import com.agentcostcontrol.router.pricing.Capability;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an OpenAI (chat completions or responses) or Anthropic (messages) request body needs from a
 * deployment, for {@link PlanRequest}: capabilities, a prompt-size estimate and the output limit.
 *
 * <table>
 * <caption>Capabilities derived</caption>
 * <tr><th>capability</th><th>when the request has</th></tr>
 * <tr><td>vision</td><td>an image part ({@code image_url}, {@code input_image}, Anthropic {@code image})</td></tr>
 * <tr><td>pdf</td><td>a document/file part (Anthropic {@code document}, OpenAI {@code file} / {@code input_file})</td></tr>
 * <tr><td>audio-input</td><td>an {@code input_audio} part</td></tr>
 * <tr><td>tools</td><td>a non-empty {@code tools} (function / custom tools) or {@code functions}</td></tr>
 * <tr><td>web-search</td><td>{@code web_search_options}, or a web-search tool</td></tr>
 * <tr><td>computer-use</td><td>a computer-use tool</td></tr>
 * <tr><td>json</td><td>{@code response_format} / {@code text.format} of type {@code json_object} or
 *     {@code json_schema}, or Anthropic {@code output_format}</td></tr>
 * <tr><td>reasoning</td><td>{@code reasoning_effort} or {@code reasoning.effort} (other than
 *     {@code none}), or Anthropic {@code thinking.type = enabled}</td></tr>
 * </table>
 *
 * <p>The token estimate is a deliberately simple, conservative heuristic (no tokenizer on the hot
 * path): UTF-8 bytes of every text / JSON argument / tool definition / 4 (rounded up), plus 4 tokens
 * per message and 3 per request, plus {@value #IMAGE_TOKENS} per image and {@value #DOCUMENT_TOKENS}
 * per document. Base64 payloads are not counted as text. Callers with a better count pass their own.
 */
public record RequestFeatures(String model, WireFormat format, Set<Capability> capabilities, long estimatedInputTokens,
        Integer maxOutputTokens, boolean stream) {

    /** Tokens assumed per image (Anthropic's figure for an image of about 1.15 megapixels). */
    public static final int IMAGE_TOKENS = 1_600;
    /** Tokens assumed per attached document (a few pages). */
    public static final int DOCUMENT_TOKENS = 3_000;

    public RequestFeatures {
        capabilities = capabilities.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
    }

    /** Reads a request body in the given dialect ({@code null}: detect it). */
    public static RequestFeatures of(JsonNode body, WireFormat format) {
        WireFormat f = format == null ? detectFormat(body) : format;
        Scan scan = new Scan();
        scan.request(body, f);
        Integer maxOutput = firstInt(body, "max_completion_tokens", "max_tokens", "max_output_tokens");
        long estimate = (scan.textBytes + 3) / 4 + 4L * scan.messages + 3 + (long) IMAGE_TOKENS * scan.images
                + (long) DOCUMENT_TOKENS * scan.documents;
        return new RequestFeatures(text(body.get("model")), f, scan.capabilities, estimate, maxOutput,
                body.path("stream").asBoolean(false));
    }

    /**
     * Anthropic when the body has a top-level {@code system}, {@code thinking}, {@code stop_sequences}
     * or {@code anthropic_version}, Anthropic-only content blocks, or tools with {@code input_schema};
     * OpenAI otherwise (chat completions or responses).
     */
    public static WireFormat detectFormat(JsonNode body) {
        if (body.has("system") || body.has("thinking") || body.has("stop_sequences") || body.has("anthropic_version")) {
            return WireFormat.ANTHROPIC;
        }
        for (JsonNode tool : body.path("tools")) {
            if (tool.has("input_schema")) {
                return WireFormat.ANTHROPIC;
            }
        }
        for (JsonNode message : body.path("messages")) {
            for (JsonNode part : message.path("content")) {
                String type = part.path("type").asText("");
                if (type.equals("tool_use") || type.equals("tool_result") || type.equals("document")
                        || type.equals("thinking") || (type.equals("image") && part.has("source"))) {
                    return WireFormat.ANTHROPIC;
                }
            }
        }
        return WireFormat.OPENAI;
    }

    /** Walks a body, counting text and noting capabilities. */
    private static final class Scan {
        final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        long textBytes;
        int messages;
        int images;
        int documents;

        void request(JsonNode body, WireFormat format) {
            text(body.get("system"));
            text(body.get("instructions"));
            JsonNode input = body.get("input");
            if (input != null && input.isTextual()) {
                messages++;
                addText(input.asText());
            }
            for (JsonNode message : body.has("messages") ? body.path("messages") : body.path("input")) {
                messages++;
                content(message.get("content"));
                for (JsonNode call : message.path("tool_calls")) {
                    addText(call.path("function").path("name").asText(""));
                    addText(call.path("function").path("arguments").asText(""));
                }
                if (message.has("function_call")) {
                    addText(message.path("function_call").toString());
                }
                if (message.has("type") && !message.has("content")) {
                    // responses API items (function_call, function_call_output, ...)
                    addText(message.path("arguments").asText(""));
                    addText(message.path("output").asText(""));
                }
            }
            tools(body.path("tools"));
            if (body.path("functions").size() > 0) {
                capabilities.add(Capability.TOOLS);
                addText(body.path("functions").toString());
            }
            if (body.has("web_search_options")) {
                capabilities.add(Capability.WEB_SEARCH);
            }
            String responseType = body.path("response_format").path("type").asText(
                    body.path("text").path("format").path("type").asText(""));
            if (responseType.equals("json_object") || responseType.equals("json_schema") || body.has("output_format")) {
                capabilities.add(Capability.JSON);
                addText(body.path("response_format").path("json_schema").toString());
            }
            String effort = body.path("reasoning_effort").asText(body.path("reasoning").path("effort").asText(""));
            if ((!effort.isEmpty() && !effort.equalsIgnoreCase("none"))
                    || body.path("thinking").path("type").asText("").equals("enabled")) {
                capabilities.add(Capability.REASONING);
            }
        }

        void tools(JsonNode tools) {
            for (JsonNode tool : tools) {
                String type = tool.path("type").asText("").toLowerCase(Locale.ROOT);
                if (type.startsWith("web_search")) {
                    capabilities.add(Capability.WEB_SEARCH);
                } else if (type.startsWith("computer")) {
                    capabilities.add(Capability.COMPUTER_USE);
                } else {
                    capabilities.add(Capability.TOOLS);
                }
                addText(tool.toString());
            }
        }

        void content(JsonNode content) {
            if (content == null || content.isNull()) {
                return;
            }
            if (content.isTextual()) {
                addText(content.asText());
                return;
            }
            for (JsonNode part : content) {
                String type = part.path("type").asText("");
                switch (type) {
                    case "image_url", "input_image", "image" -> {
                        capabilities.add(Capability.VISION);
                        images++;
                    }
                    case "document", "file", "input_file" -> {
                        capabilities.add(Capability.PDF);
                        documents++;
                    }
                    case "input_audio" -> capabilities.add(Capability.AUDIO_INPUT);
                    case "tool_use" -> {
                        addText(part.path("name").asText(""));
                        addText(part.path("input").toString());
                    }
                    case "tool_result" -> content(part.get("content"));
                    default -> {
                        text(part.get("text"));
                        text(part.get("thinking"));
                    }
                }
            }
        }

        void text(JsonNode node) {
            if (node == null || node.isNull()) {
                return;
            }
            if (node.isTextual()) {
                addText(node.asText());
            } else if (node.isArray()) {
                content(node);
            }
        }

        void addText(String s) {
            textBytes += s.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private static Integer firstInt(JsonNode body, String... fields) {
        for (String f : fields) {
            JsonNode v = body.get(f);
            if (v != null && v.canConvertToInt() && v.asInt() >= 0) {
                return v.asInt();
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node == null || !node.isTextual() ? null : node.asText();
    }
}
