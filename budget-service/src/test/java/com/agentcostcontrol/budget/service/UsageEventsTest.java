package com.agentcostcontrol.budget.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class UsageEventsTest {

    private static final UUID TENANT = UUID.fromString("6f0c0000-0000-4000-8000-000000000001");
    private static final UUID KEY = UUID.fromString("1d2e0000-0000-4000-8000-000000000002");

    private static Map<String, String> event() {
        Map<String, String> f = new HashMap<>();
        f.put("v", "1");
        f.put("request_id", "req_0xvk1fp55nex5zlxv1qszgb9");
        f.put("ts", "1732240000000");
        f.put("tenant_id", TENANT.toString());
        f.put("key_id", KEY.toString());
        f.put("agent_id", "planner-1");
        f.put("requested_model", "gpt-4o-mini");
        f.put("cost_usd", "0.000337");
        f.put("cost_micros", "337");
        return f;
    }

    @Test
    void readsTheFieldsTheLedgerNeeds() {
        UsageEvents.Usage u = UsageEvents.parse(event());
        assertEquals("req_0xvk1fp55nex5zlxv1qszgb9", u.requestId());
        assertEquals(TENANT, u.tenantId());
        assertEquals(KEY, u.keyId());
        assertEquals("planner-1", u.agentId());
        assertEquals("gpt-4o-mini", u.model());
        assertEquals(337, u.costMicros());
        assertEquals(Instant.ofEpochMilli(1732240000000L), u.at());
        assertTrue(u.chargeable());
    }

    @Test
    void budgetIdsAreReadWhenPresentAndNullWhenAbsentOrEmpty() {
        UUID a = UUID.fromString("b0000000-0000-4000-8000-00000000000a");
        UUID b = UUID.fromString("b0000000-0000-4000-8000-00000000000b");
        Map<String, String> named = event();
        named.put("budget_ids", a + "," + b + "," + a);
        assertEquals(java.util.List.of(a, b), UsageEvents.parse(named).budgetIds());
        assertNull(UsageEvents.parse(event()).budgetIds(), "absent: an older proxy, re-matched");
        Map<String, String> empty = event();
        empty.put("budget_ids", "");
        assertNull(UsageEvents.parse(empty).budgetIds(), "empty: no reservation, re-matched");
    }

    @Test
    void unpricedOrAnonymousCallsAreNotChargeable() {
        Map<String, String> unpriced = event();
        unpriced.put("cost_micros", "");
        assertFalse(UsageEvents.parse(unpriced).chargeable());
        Map<String, String> anonymous = event();
        anonymous.put("tenant_id", "");
        anonymous.put("key_id", "");
        anonymous.put("agent_id", "");
        UsageEvents.Usage u = UsageEvents.parse(anonymous);
        assertFalse(u.chargeable());
        assertNull(u.keyId());
        assertNull(u.agentId());
    }

    @Test
    void malformedEventsArePoison() {
        for (String[] bad : new String[][] { { "v", "2" }, { "request_id", "has spaces" }, { "ts", "" },
                { "tenant_id", "not-a-uuid" }, { "key_id", "x" }, { "cost_micros", "1.5" }, { "cost_micros", "-3" },
                { "budget_ids", TENANT + ",nope" } }) {
            Map<String, String> f = event();
            f.put(bad[0], bad[1]);
            UsageEvents.PoisonEvent e = assertThrows(UsageEvents.PoisonEvent.class, () -> UsageEvents.parse(f), bad[0]);
            assertFalse(e.getMessage().contains(bad[1].isEmpty() ? "\u0000" : bad[1]), "the reason quotes no value");
        }
        assertThrows(UsageEvents.PoisonEvent.class, () -> UsageEvents.parse(Map.of()));
        assertThrows(UsageEvents.PoisonEvent.class, () -> UsageEvents.parse(null));
    }
}
