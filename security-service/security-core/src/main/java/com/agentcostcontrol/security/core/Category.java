package com.agentcostcontrol.security.core;

import java.util.Locale;

/** What a detector looks for; a policy sets one {@link Action} per category and direction. */
public enum Category {
    /** Credentials: API keys, tokens, private keys, password assignments. */
    SECRETS,
    /** Personal data: e-mail addresses, card numbers, IBANs, US SSNs, phone numbers. */
    PII,
    /** Prompt injection and jailbreak attempts (heuristic, scored). */
    INJECTION;

    /** The lower-case name used in JSON, the database and metrics. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The category for a JSON / database name, or null when unknown. */
    public static Category parse(String id) {
        if (id == null) {
            return null;
        }
        for (Category c : values()) {
            if (c.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return null;
    }
}
