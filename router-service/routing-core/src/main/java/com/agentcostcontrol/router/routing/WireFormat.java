package com.agentcostcontrol.router.routing;

import java.util.Locale;
import java.util.Optional;

/** The API dialect a deployment speaks upstream (and a client request arrives in). */
public enum WireFormat {
    /** OpenAI chat completions ({@code /v1/chat/completions}) and OpenAI-compatible servers. */
    OPENAI("openai"),
    /** Anthropic messages ({@code /v1/messages}). */
    ANTHROPIC("anthropic");

    private final String wireName;

    WireFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<WireFormat> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (WireFormat f : values()) {
            if (f.wireName.equals(v)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * The dialect of a deployment: {@code anthropic} speaks Anthropic; {@code sub2api} speaks
     * Anthropic for Claude models (its Claude accounts) and OpenAI otherwise; {@code mock} answers
     * in whatever dialect the client used (so no translation); every other provider (openai,
     * openai-compatible, azure-openai and the catalog's OpenAI-compatible families) speaks OpenAI.
     */
    public static WireFormat of(String provider, String model, WireFormat inbound) {
        String p = provider == null ? "" : provider.toLowerCase(Locale.ROOT);
        return switch (p) {
            case Deployment.PROVIDER_ANTHROPIC -> ANTHROPIC;
            case Deployment.PROVIDER_MOCK -> inbound == null ? OPENAI : inbound;
            case Deployment.PROVIDER_SUB2API -> model != null && model.toLowerCase(Locale.ROOT).contains("claude")
                    ? ANTHROPIC : OPENAI;
            default -> OPENAI;
        };
    }
}
