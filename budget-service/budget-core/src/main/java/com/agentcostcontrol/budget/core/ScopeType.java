package com.agentcostcontrol.budget.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a budget counts: every call of the tenant, of one virtual key, of one agent (header
 * {@code x-acc-agent-id}), of one model name, or of one model through one key.
 */
public enum ScopeType {
    TENANT("tenant"), KEY("key"), AGENT("agent"), MODEL("model"), KEY_MODEL("key+model");

    private final String wire;

    ScopeType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<ScopeType> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(value)).findFirst();
    }
}
