package com.agentcostcontrol.router.pricing;

import java.util.Locale;
import java.util.Optional;

/**
 * What a model can do, from the catalog's {@code supports_*} columns. {@link #apiName()} is the
 * short name used in filters and JSON ({@code tools}, {@code vision}, {@code json}, ...).
 */
public enum Capability {
    TOOLS("supports_function_calling", "tools"),
    PARALLEL_TOOLS("supports_parallel_function_calling", "parallel-tools"),
    TOOL_CHOICE("supports_tool_choice", "tool-choice"),
    VISION("supports_vision", "vision"),
    /** Structured output / JSON schema responses. */
    JSON("supports_response_schema", "json"),
    REASONING("supports_reasoning", "reasoning"),
    /** Prompt caching (cached input billed at the cache-read price). */
    CACHING("supports_prompt_caching", "caching"),
    SYSTEM_MESSAGES("supports_system_messages", "system-messages"),
    PDF("supports_pdf_input", "pdf"),
    AUDIO_INPUT("supports_audio_input", "audio-input"),
    AUDIO_OUTPUT("supports_audio_output", "audio-output"),
    WEB_SEARCH("supports_web_search", "web-search"),
    COMPUTER_USE("supports_computer_use", "computer-use");

    private final String column;
    private final String apiName;

    Capability(String column, String apiName) {
        this.column = column;
        this.apiName = apiName;
    }

    public String column() {
        return column;
    }

    public String apiName() {
        return apiName;
    }

    /** Parses an API name (case-insensitive); empty when unknown. */
    public static Optional<Capability> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (Capability c : values()) {
            if (c.apiName.equals(v)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
