package com.agentcostcontrol.analytics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What {@code GET /v1/analytics/spend} groups calls by ({@code groupBy}). */
public enum SpendGroup {
    /** The model that served the call (the one priced); the requested model when no deployment served it. */
    MODEL,
    /** The provider of the deployment that served the call; none for calls no deployment served. */
    PROVIDER,
    /** The virtual key id. */
    KEY,
    /** The agent id the call named ({@code x-acc-agent-id}); none for calls that named no agent. */
    AGENT,
    /** The UTC calendar day the call arrived on, {@code YYYY-MM-DD}. */
    DAY;

    /** The {@code groupBy} value. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SpendGroup> of(String wireName) {
        return Arrays.stream(values()).filter(g -> g.wireName().equals(wireName)).findFirst();
    }

    /** {@code model|provider|key|agent|day}, for error messages. */
    public static String allowed() {
        return Arrays.stream(values()).map(SpendGroup::wireName).collect(Collectors.joining(", "));
    }
}
