package com.agentcostcontrol.proxy.llm;

/** An inbound LLM endpoint: its wire format, the usage-event name and whether it generates text. */
public enum Endpoint {
    CHAT_COMPLETIONS(ApiFormat.OPENAI, "chat"),
    EMBEDDINGS(ApiFormat.OPENAI, "embeddings"),
    MESSAGES(ApiFormat.ANTHROPIC, "messages"),
    COUNT_TOKENS(ApiFormat.ANTHROPIC, "count_tokens");

    private final ApiFormat format;
    private final String eventName;

    Endpoint(ApiFormat format, String eventName) {
        this.format = format;
        this.eventName = eventName;
    }

    public ApiFormat format() {
        return format;
    }

    /** Value of the usage event's {@code endpoint} field. */
    public String eventName() {
        return eventName;
    }

    /** Chat completions and messages generate text (and may stream); the others do not. */
    public boolean generates() {
        return this == CHAT_COMPLETIONS || this == MESSAGES;
    }
}
