package com.agentcostcontrol.analytics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.analytics.UsageCall;
import com.agentcostcontrol.analytics.UsageEventBuilder;

/** Parsing of one event, without Quarkus: what is stored, what is poison, and that errors quote no value. */
class UsageEventsTest {

    @Test
    void readsTheProxysFields() {
        UUID tenant = UUID.randomUUID();
        Map<String, String> f = UsageEventBuilder.call(tenant).served("gpt-4o", "openai").tokens(1, 2, 3, 4, 5)
                .cost(99L).at(Instant.parse("2026-01-02T03:04:05.678Z")).fields();
        UsageCall c = UsageEvents.parse("1-0", f);
        assertEquals(tenant, c.tenantId());
        assertEquals("gpt-4o", c.servedModel());
        assertEquals(1, c.inputTokens());
        assertEquals(4, c.cacheWrite1hTokens());
        assertEquals(5, c.outputTokens());
        assertEquals(99L, c.costMicros());
        assertEquals(Instant.parse("2026-01-02T03:04:05.678Z"), c.occurredAt());
        assertEquals("1-0", c.streamId());
        assertNull(c.agentId(), "empty string = absent");
    }

    @Test
    void unpricedAndTenantlessCallsAreNotPoison() {
        Map<String, String> f = UsageEventBuilder.call(null).key(null).refused("x", 401, "invalid_api_key").fields();
        UsageCall c = UsageEvents.parse("1-0", f);
        assertNull(c.tenantId());
        assertNull(c.costMicros());
        assertNull(c.ttftMs());
    }

    @Test
    void malformedFieldsArePoisonNamingTheFieldNotTheValue() {
        String secretish = "sk live should-never-be-logged";
        for (String field : new String[] {"ts", "tenant_id", "input_tokens", "cost_micros", "streamed",
            "http_status", "request_id"}) {
            Map<String, String> f = UsageEventBuilder.call(UUID.randomUUID()).fields();
            f.put(field, secretish);
            UsageEvents.PoisonEvent e = assertThrows(UsageEvents.PoisonEvent.class, () -> UsageEvents.parse("1-0", f),
                    field);
            assertFalse(e.getMessage().contains(secretish), e.getMessage());
            assertEquals("malformed " + field, e.getMessage());
        }
        Map<String, String> v2 = UsageEventBuilder.call(UUID.randomUUID()).fields();
        v2.put("v", "2");
        assertEquals("unknown schema version",
                assertThrows(UsageEvents.PoisonEvent.class, () -> UsageEvents.parse("1-0", v2)).getMessage());
        Map<String, String> noStatus = UsageEventBuilder.call(UUID.randomUUID()).fields();
        noStatus.put("status", "");
        assertEquals("missing status",
                assertThrows(UsageEvents.PoisonEvent.class, () -> UsageEvents.parse("1-0", noStatus)).getMessage());
    }
}
