package com.agentcostcontrol.router.pricing;

import java.util.Locale;
import java.util.Optional;

/** What kind of calls a model serves; only token-priced modes are in the catalog. */
public enum Mode {
    CHAT, EMBEDDING, COMPLETION, RESPONSES;

    /** The lower-case name used in the database and in JSON. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; empty for unknown modes (image generation, audio, ...). */
    public static Optional<Mode> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Mode m : values()) {
            if (m.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
