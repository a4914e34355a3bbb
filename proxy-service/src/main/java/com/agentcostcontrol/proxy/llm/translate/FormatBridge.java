package com.agentcostcontrol.proxy.llm.translate;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.provider.UpstreamTarget;
import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.usage.Prices;
import com.agentcostcontrol.router.pricing.ModelPrice;
import com.agentcostcontrol.translate.AnthropicToOpenAi;
import com.agentcostcontrol.translate.Errors;
import com.agentcostcontrol.translate.OpenAiToAnthropic;
import com.agentcostcontrol.translate.TranslatedError;
import com.agentcostcontrol.translate.TranslatedRequest;
import com.agentcostcontrol.translate.TranslationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;

/**
 * Puts a call's request into the upstream's format and the upstream's answers (body, errors)
 * back into the client's format, with llm-translate (docs/TRANSLATION.md). Same-format calls are
 * adjusted in place (model name; the usage chunk of OpenAI streams) without a copy.
 */
@ApplicationScoped
public class FormatBridge {

    private static final Logger LOG = Logger.getLogger(FormatBridge.class);

    /** The request cannot be expressed in the upstream's format; the plan moves on, and this is the answer if none can. */
    public static final class Untranslatable extends RuntimeException {
        private final transient JsonNode envelope;

        public Untranslatable(String message, JsonNode envelope) {
            super(message, null, false, false);
            this.envelope = envelope;
        }

        /** The 400 error body in the client's format. */
        public JsonNode envelope() {
            return envelope;
        }
    }

    private final Prices prices;

    public FormatBridge(Prices prices) {
        this.prices = prices;
    }

    /** The body to send to {@code deployment}, whose upstream speaks {@code upstream}. */
    public ObjectNode request(LlmCall call, ApiFormat upstream, UpstreamTarget deployment) {
        if (upstream == call.inboundFormat()) {
            ObjectNode body = call.body;
            body.put("model", deployment.model());
            if (call.stream && upstream == ApiFormat.OPENAI) {
                // Always ask for the usage chunk: billing needs it; the relay drops it if the client did not ask.
                JsonNode options = body.get("stream_options");
                ObjectNode o = options instanceof ObjectNode on ? on : body.putObject("stream_options");
                o.put("include_usage", true);
            }
            return body;
        }
        try {
            TranslatedRequest translated;
            if (upstream == ApiFormat.ANTHROPIC) {
                Integer maxOut = prices.price(call.key == null ? null : call.key.tenantId(), deployment.model())
                        .map(ModelPrice::maxOutputTokens).orElse(null);
                translated = maxOut == null ? OpenAiToAnthropic.request(call.body, deployment.model())
                        : OpenAiToAnthropic.request(call.body, deployment.model(), maxOut);
            } else {
                AnthropicToOpenAi.MaxTokensField field = "openai-compatible".equals(deployment.provider())
                        ? AnthropicToOpenAi.MaxTokensField.MAX_TOKENS : AnthropicToOpenAi.MaxTokensField.MAX_COMPLETION_TOKENS;
                translated = AnthropicToOpenAi.request(call.body, deployment.model(), field);
            }
            if (!translated.warnings().isEmpty() && LOG.isDebugEnabled()) {
                LOG.debugf("%s: translation to %s: %s", call.requestId, upstream, String.join("; ", translated.warnings()));
            }
            return translated.body();
        } catch (TranslationException e) {
            throw new Untranslatable(e.getMessage(),
                    call.inboundFormat() == ApiFormat.OPENAI ? e.toOpenAiError() : e.toAnthropicError());
        }
    }

    /** An upstream non-streaming answer (generate calls) in the client's format. */
    public JsonNode response(LlmCall call, JsonNode upstreamBody) {
        if (call.upstreamFormat == call.inboundFormat() || !(upstreamBody instanceof ObjectNode body)) {
            return upstreamBody;
        }
        return call.upstreamFormat == ApiFormat.ANTHROPIC ? AnthropicToOpenAi.response(body) : OpenAiToAnthropic.response(body);
    }

    /** An upstream error as the client's status and envelope (the provider's own when formats match). */
    public TranslatedError error(LlmCall call, ApiFormat upstream, int status, Buffer raw) {
        if (upstream != call.inboundFormat()) {
            String text = raw.toString();
            return call.inboundFormat() == ApiFormat.OPENAI ? Errors.toOpenAi(status, text) : Errors.toAnthropic(status, text);
        }
        JsonNode parsed;
        try {
            parsed = raw.length() == 0 ? null : Json.parse(raw);
        } catch (IOException e) {
            parsed = null;
        }
        if (parsed instanceof ObjectNode o && o.has("error")) {
            return new TranslatedError(status, o);
        }
        String message = "The upstream provider answered HTTP " + status + ".";
        return new TranslatedError(status, call.inboundFormat() == ApiFormat.ANTHROPIC ? Errors.anthropic(status, message)
                : Errors.openAi(status, null, message, null, "upstream_error"));
    }
}
