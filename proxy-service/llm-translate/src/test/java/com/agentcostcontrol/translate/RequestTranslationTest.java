package com.agentcostcontrol.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven request translation: requests/{direction}/*.json hold input, expected body and warnings. */
class RequestTranslationTest {

    static Stream<Arguments> openAiToAnthropic() {
        return Fixtures.cases("requests/openai-to-anthropic");
    }

    static Stream<Arguments> anthropicToOpenAi() {
        return Fixtures.cases("requests/anthropic-to-openai");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openAiToAnthropic")
    void openAiRequestBecomesAnthropicRequest(String name, ObjectNode fixture) {
        ObjectNode input = (ObjectNode) fixture.get("input");
        String before = input.toString();
        TranslatedRequest out = OpenAiToAnthropic.request(input, fixture.get("targetModel").asText(),
                fixture.path("modelMaxOutputTokens").asInt(0));
        Fixtures.assertMatches(name, fixture, "expected", out.body());
        Fixtures.assertMatches(name, fixture, "expectedWarnings", Fixtures.M.valueToTree(out.warnings()));
        assertEquals(before, input.toString(), name + ": the input must not be modified");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anthropicToOpenAi")
    void anthropicRequestBecomesOpenAiRequest(String name, ObjectNode fixture) {
        ObjectNode input = (ObjectNode) fixture.get("input");
        String before = input.toString();
        JsonNode field = fixture.get("maxTokensField");
        AnthropicToOpenAi.MaxTokensField mtf = field == null ? AnthropicToOpenAi.MaxTokensField.MAX_COMPLETION_TOKENS
                : AnthropicToOpenAi.MaxTokensField.valueOf(field.asText());
        TranslatedRequest out = AnthropicToOpenAi.request(input, fixture.get("targetModel").asText(), mtf);
        Fixtures.assertMatches(name, fixture, "expected", out.body());
        Fixtures.assertMatches(name, fixture, "expectedWarnings", Fixtures.M.valueToTree(out.warnings()));
        assertEquals(before, input.toString(), name + ": the input must not be modified");
    }
}
