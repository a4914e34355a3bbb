package com.agentcostcontrol.proxy.llm;

/** The two wire formats the proxy speaks, inbound (what the client uses) and upstream (what a provider speaks). */
public enum ApiFormat {
    /** OpenAI Chat Completions / Embeddings. */
    OPENAI,
    /** Anthropic Messages. */
    ANTHROPIC
}
