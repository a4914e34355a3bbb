package com.agentcostcontrol.proxy.llm.translate;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.Deployment;
import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.proxy.llm.api.ErrorEnvelopes;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;

/**
 * Puts a call's request into the upstream's format and the upstream's answers (body, errors)
 * back into the client's format. Same-format calls are adjusted in place (model name, usage in
 * streams) without a copy.
 */
@ApplicationScoped
public class FormatBridge {

    /** The request cannot be expressed in the upstream's format; the plan moves on. */
    public static final class Untranslatable extends RuntimeException {
        public Untranslatable(String message) {
            super(message, null, false, false);
        }
    }

    /** The body to send to {@code deployment}, whose upstream speaks {@code upstream}. */
    public ObjectNode request(LlmCall call, ApiFormat upstream, Deployment deployment) {
        if (upstream != call.inboundFormat()) {
            throw new Untranslatable("Model '" + call.requestedModel + "' is served by deployment '" + deployment.name()
                    + "' in the " + upstream + " format, which this gateway build cannot translate to.");
        }
        ObjectNode body = call.body;
        body.put("model", deployment.model());
        if (call.stream && upstream == ApiFormat.OPENAI) {
            // Always ask for the usage chunk: billing needs it; the relay strips it if the client did not ask.
            JsonNode options = body.get("stream_options");
            ObjectNode o = options instanceof ObjectNode on ? on : body.putObject("stream_options");
            o.put("include_usage", true);
        }
        return body;
    }

    /** An upstream non-streaming answer in the client's format. */
    public JsonNode response(LlmCall call, JsonNode upstreamBody) {
        return upstreamBody;
    }

    /** An upstream error body as the client's error envelope (the provider's own when formats match). */
    public JsonNode error(LlmCall call, ApiFormat upstream, int status, Buffer raw) {
        JsonNode parsed = null;
        try {
            parsed = raw.length() == 0 ? null : Json.parse(raw);
        } catch (IOException e) {
            parsed = null;
        }
        if (parsed != null && parsed.isObject() && parsed.has("error") && upstream == call.inboundFormat()) {
            return parsed;
        }
        String message = parsed != null ? parsed.path("error").path("message").asText(null) : null;
        if (message == null) {
            message = "Upstream answered HTTP " + status + ".";
        }
        return call.inboundFormat() == ApiFormat.ANTHROPIC ? ErrorEnvelopes.anthropic(status, message)
                : ErrorEnvelopes.openAi(status, "upstream_error", message);
    }

    /** Whether the relay must translate the stream (rather than pass events through). */
    public boolean translatesStream(LlmCall call) {
        return call.upstreamFormat != call.inboundFormat();
    }

}
