package com.agentcostcontrol.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * requests/rejected-*.json: requests that cannot be translated faithfully fail with a
 * TranslationException naming the field, with a message that says what to do.
 */
class RejectedRequestTest {

    static Stream<Arguments> openAi() {
        return Fixtures.table("requests/rejected-openai-to-anthropic.json");
    }

    static Stream<Arguments> anthropic() {
        return Fixtures.table("requests/rejected-anthropic-to-openai.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openAi")
    void openAiRequestIsRejected(String name, JsonNode c) {
        TranslationException e = assertThrows(TranslationException.class,
                () -> OpenAiToAnthropic.request((ObjectNode) c.get("input"), "claude-sonnet-4-5", 64000));
        check(name, c, e);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anthropic")
    void anthropicRequestIsRejected(String name, JsonNode c) {
        TranslationException e = assertThrows(TranslationException.class,
                () -> AnthropicToOpenAi.request((ObjectNode) c.get("input"), "gpt-4o"));
        check(name, c, e);
    }

    private static void check(String name, JsonNode c, TranslationException e) {
        assertEquals(c.get("param").asText(), e.param(), name + ": param");
        assertTrue(e.getMessage().contains(c.get("message").asText()), name + ": message was '" + e.getMessage() + "'");
        assertEquals(e.param(), e.toOpenAiError().get("error").get("param").asText(), name + ": OpenAI envelope names the field");
    }
}
