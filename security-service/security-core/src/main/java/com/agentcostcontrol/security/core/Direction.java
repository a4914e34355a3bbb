package com.agentcostcontrol.security.core;

import java.util.Locale;

/** Which text a policy entry applies to: what the client sends, or what the model answers. */
public enum Direction {
    PROMPT,
    RESPONSE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
