package com.agentcostcontrol.proxy.llm.provider;

/** What a call asks of a provider, independent of wire format. */
public enum Operation {
    /** Chat completions (OpenAI) or messages (Anthropic). */
    GENERATE,
    /** Embeddings (OpenAI format only). */
    EMBED,
    /** Count the input tokens of a messages request (Anthropic format only). */
    COUNT_TOKENS
}
