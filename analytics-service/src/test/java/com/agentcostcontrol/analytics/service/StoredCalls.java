package com.agentcostcontrol.analytics.service;

import com.agentcostcontrol.analytics.UsageCall;
import com.agentcostcontrol.analytics.UsageEventBuilder;

/** A test event as the consumer would parse it, to store straight through the repository (no stream round trip). */
public final class StoredCalls {

    private StoredCalls() {
    }

    public static UsageCall of(UsageEventBuilder event) {
        return UsageEvents.parse("0-1", event.fields());
    }
}
