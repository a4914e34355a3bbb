package com.agentcostcontrol.security.core;

import java.util.Locale;

/** What the gateway does with a finding of a category; ordered from weakest to strongest. */
public enum Action {
    /** The category is not scanned at all. */
    OFF,
    /** The call goes through unchanged; the finding is recorded (usage event, metrics). */
    FLAG,
    /** Each finding's span is replaced with {@code [REDACTED:<detector>]} before the text moves on. */
    REDACT,
    /** The call is refused (400 naming the detector). */
    BLOCK;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action for a JSON / database name, or null when unknown. */
    public static Action parse(String id) {
        if (id == null) {
            return null;
        }
        for (Action a : values()) {
            if (a.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        return null;
    }
}
