package com.agentcostcontrol.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** errors/error-cases.json: envelopes of both families and upstream error translation. */
class ErrorsTest {

    static Stream<Arguments> cases() {
        return Fixtures.table("errors/error-cases.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void errorEnvelopes(String name, JsonNode c) {
        JsonNode got = switch (c.get("kind").asText()) {
            case "openAi" -> Errors.openAi(c.get("status").asInt(), c.get("type").isNull() ? null : c.get("type").asText(),
                    c.get("message").asText(), null, null);
            case "anthropic" -> Errors.anthropic(c.get("status").asInt(), c.get("message").asText());
            case "toOpenAi" -> asJson(Errors.toOpenAi(c.get("status").asInt(), c.get("body").asText()));
            case "toAnthropic" -> asJson(Errors.toAnthropic(c.get("status").asInt(), c.get("body").asText()));
            case "anthropicStreamToOpenAi" -> Errors.anthropicStreamErrorToOpenAi(c.get("event"));
            case "openAiStreamToAnthropic" -> Errors.openAiStreamErrorToAnthropic(c.get("event"));
            default -> throw new IllegalArgumentException(c.get("kind").asText());
        };
        assertEquals(Fixtures.pretty(c.get("expected")), Fixtures.pretty(Fixtures.normalize(got)), name);
    }

    private static JsonNode asJson(TranslatedError e) {
        ObjectNode n = Fixtures.M.createObjectNode();
        n.put("status", e.status());
        n.set("body", e.body());
        return n;
    }

    @Test
    void longNonJsonBodiesAreTruncated() {
        String body = "x".repeat(2000);
        TranslatedError e = Errors.toOpenAi(500, body);
        String message = e.body().get("error").get("message").asText();
        assertEquals("The upstream provider returned HTTP 500: " + "x".repeat(Errors.MAX_RAW_MESSAGE) + "...", message);
    }

    @Test
    void translationExceptionRendersBothEnvelopes() {
        TranslationException ex = new TranslationException("n", "n=2 is not supported");
        assertEquals("{\"error\":{\"message\":\"n=2 is not supported\",\"type\":\"invalid_request_error\",\"param\":\"n\",\"code\":null}}",
                ex.toOpenAiError().toString());
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"n=2 is not supported\"}}",
                ex.toAnthropicError().toString());
    }
}
