package com.agentcostcontrol.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven non-streaming response translation: responses/{direction}/*.json. */
class ResponseTranslationTest {

    static Stream<Arguments> anthropicToOpenAi() {
        return Fixtures.cases("responses/anthropic-to-openai");
    }

    static Stream<Arguments> openAiToAnthropic() {
        return Fixtures.cases("responses/openai-to-anthropic");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anthropicToOpenAi")
    void anthropicMessageBecomesChatCompletion(String name, ObjectNode fixture) {
        ObjectNode out = AnthropicToOpenAi.response((ObjectNode) fixture.get("input"), fixture.get("created").asLong());
        Fixtures.assertMatches(name, fixture, "expected", out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openAiToAnthropic")
    void chatCompletionBecomesAnthropicMessage(String name, ObjectNode fixture) {
        ObjectNode out = OpenAiToAnthropic.response((ObjectNode) fixture.get("input"));
        Fixtures.assertMatches(name, fixture, "expected", out);
    }
}
