package com.agentcostcontrol.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.agentcostcontrol.router.pricing.Capability;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class RequestFeaturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("plain OpenAI chat",
                        "{'model':'gpt-4o','messages':[{'role':'user','content':'hi'}]}",
                        WireFormat.OPENAI, Set.of()),
                Arguments.of("OpenAI image, tools, JSON schema, reasoning effort",
                        "{'model':'o3','reasoning_effort':'high','response_format':{'type':'json_schema','json_schema':{'name':'x','schema':{}}},"
                                + "'tools':[{'type':'function','function':{'name':'f','parameters':{}}}],"
                                + "'messages':[{'role':'user','content':[{'type':'text','text':'what is this'},"
                                + "{'type':'image_url','image_url':{'url':'data:image/png;base64,AAAA'}}]}]}",
                        WireFormat.OPENAI, Set.of(Capability.VISION, Capability.TOOLS, Capability.JSON, Capability.REASONING)),
                Arguments.of("OpenAI json_object, web search options, audio and a file",
                        "{'model':'gpt-4o','response_format':{'type':'json_object'},'web_search_options':{},"
                                + "'messages':[{'role':'user','content':[{'type':'input_audio','input_audio':{'data':'AA','format':'wav'}},"
                                + "{'type':'file','file':{'file_data':'AA'}}]}]}",
                        WireFormat.OPENAI, Set.of(Capability.JSON, Capability.WEB_SEARCH, Capability.AUDIO_INPUT, Capability.PDF)),
                Arguments.of("reasoning effort none is no reasoning",
                        "{'model':'gpt-5','reasoning_effort':'none','messages':[{'role':'user','content':'hi'}]}",
                        WireFormat.OPENAI, Set.of()),
                Arguments.of("OpenAI responses API with text.format and reasoning",
                        "{'model':'o4-mini','input':'hello','reasoning':{'effort':'low'},'text':{'format':{'type':'json_schema'}}}",
                        WireFormat.OPENAI, Set.of(Capability.REASONING, Capability.JSON)),
                Arguments.of("Anthropic with system, thinking, image, tools, web search and computer use",
                        "{'model':'claude-sonnet-4-5','max_tokens':1024,'system':'be brief','thinking':{'type':'enabled','budget_tokens':2000},"
                                + "'tools':[{'name':'f','input_schema':{}},{'type':'web_search_20250305','name':'web_search'},"
                                + "{'type':'computer_20250124','name':'computer'}],"
                                + "'messages':[{'role':'user','content':[{'type':'image','source':{'type':'base64','data':'AAAA'}},"
                                + "{'type':'document','source':{'type':'base64','data':'AAAA'}}]}]}",
                        WireFormat.ANTHROPIC, Set.of(Capability.REASONING, Capability.TOOLS, Capability.WEB_SEARCH,
                                Capability.COMPUTER_USE, Capability.VISION, Capability.PDF)),
                Arguments.of("Anthropic detected by a tool_result block alone",
                        "{'model':'claude-haiku-4-5','max_tokens':10,'messages':[{'role':'user','content':[{'type':'tool_result',"
                                + "'tool_use_id':'t1','content':'42'}]}]}",
                        WireFormat.ANTHROPIC, Set.of()),
                Arguments.of("Anthropic thinking disabled",
                        "{'model':'claude-sonnet-4-5','max_tokens':10,'thinking':{'type':'disabled'},'messages':[]}",
                        WireFormat.ANTHROPIC, Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void derivesFormatAndCapabilities(String name, String body, WireFormat format, Set<Capability> capabilities) {
        RequestFeatures f = RequestFeatures.of(json(body), null);
        assertEquals(format, f.format(), name);
        assertEquals(capabilities, f.capabilities(), name);
    }

    @Test
    void estimatesTokensFromTextBytesMessagesAndImages() {
        // 400 ASCII characters in one message: 100 + 4 per message + 3 per request
        String text = "a".repeat(400);
        RequestFeatures plain = RequestFeatures.of(json("{'model':'m','messages':[{'role':'user','content':'" + text + "'}]}"),
                WireFormat.OPENAI);
        assertEquals(107, plain.estimatedInputTokens());
        // the base64 of an image does not count as text; the image counts 1,600
        RequestFeatures image = RequestFeatures.of(json("{'model':'m','messages':[{'role':'user','content':[{'type':'image_url',"
                + "'image_url':{'url':'data:image/png;base64," + "Q".repeat(100_000) + "'}}]}]}"), WireFormat.OPENAI);
        assertEquals(4 + 3 + RequestFeatures.IMAGE_TOKENS, image.estimatedInputTokens());
        // multi-byte text counts by UTF-8 bytes: 100 x 3 bytes / 4 = 75
        RequestFeatures cjk = RequestFeatures.of(json("{'model':'m','messages':[{'role':'user','content':'" + "字".repeat(100) + "'}]}"),
                WireFormat.OPENAI);
        assertEquals(75 + 4 + 3, cjk.estimatedInputTokens());
    }

    @Test
    void readsTheOutputLimitModelAndStreamFlag() {
        RequestFeatures openai = RequestFeatures.of(json("{'model':'gpt-4o','stream':true,'max_completion_tokens':300,'max_tokens':999,"
                + "'messages':[]}"), null);
        assertEquals("gpt-4o", openai.model());
        assertEquals(300, openai.maxOutputTokens());
        assertTrue(openai.stream());
        RequestFeatures responses = RequestFeatures.of(json("{'model':'o3','input':'x','max_output_tokens':50}"), null);
        assertEquals(50, responses.maxOutputTokens());
        RequestFeatures none = RequestFeatures.of(json("{'model':'gpt-4o','messages':[]}"), null);
        assertNull(none.maxOutputTokens());
        assertFalse(none.stream());
    }

    @Test
    void featuresFeedAPlanRequest() {
        RequestFeatures f = RequestFeatures.of(json("{'model':'claude-sonnet-4-5','max_tokens':2000,'system':'s',"
                + "'messages':[{'role':'user','content':'hello'}]}"), null);
        PlanRequest request = PlanRequest.builder("t", f.model()).features(f).taskType(TaskType.parse("Review").orElse(null)).build();
        assertEquals(WireFormat.ANTHROPIC, request.inboundFormat());
        assertEquals(2000, request.maxOutputTokens());
        assertEquals(f.estimatedInputTokens(), request.estimatedInputTokens());
        assertEquals(TaskType.REVIEW, request.taskType());
        assertTrue(TaskType.parse("deploy").isEmpty(), "an unknown task type is ignored, not an error");
    }
}
