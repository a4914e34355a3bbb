package com.agentcostcontrol.proxy.llm;

import java.util.UUID;

/**
 * One model at one provider endpoint with one credential, as the hot path uses it. Built from the
 * {@code deployments} table (credential decrypted once, at snapshot load) or built in (mock and
 * environment-configured providers).
 *
 * @param id        row id, or null for a built-in deployment
 * @param tenantId  owning tenant, or null for an operator-level (or built-in) deployment
 * @param provider  openai | anthropic | openai-compatible | azure-openai | sub2api | mock
 * @param model     the model name sent upstream (the Azure deployment name for azure-openai)
 * @param baseUrl   the provider endpoint, or null for the provider's public default
 * @param apiKey    the decrypted credential (never logged), or null
 */
public record Deployment(
        UUID id,
        UUID tenantId,
        String name,
        String provider,
        String model,
        String baseUrl,
        String apiKey,
        int weight,
        int timeoutMs) {

    public static final String MOCK = "mock";

    @Override
    public String toString() {
        // Keeps the credential out of every log line and exception message.
        return "Deployment[" + name + ", " + provider + "/" + model + "]";
    }
}
