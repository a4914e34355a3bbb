package com.agentcostcontrol.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** usage/usage-cases.json: provider usage objects and the RawUsage each gives. */
class UsageReaderTest {

    static Stream<Arguments> cases() {
        return Fixtures.table("usage/usage-cases.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsUsageInTheProvidersOwnConvention(String name, JsonNode c) {
        JsonNode usage = c.get("usage");
        RawUsage u = "openai".equals(c.get("format").asText()) ? UsageReader.fromOpenAi(usage) : UsageReader.fromAnthropic(usage);
        ObjectNode got = Fixtures.usageJson(u);
        got.put("totalInputTokens", u.totalInputTokens());
        got.put("uncachedInputTokens", u.uncachedInputTokens());
        assertEquals(Fixtures.pretty(c.get("expected")), Fixtures.pretty(Fixtures.normalize(got)), name);
    }
}
