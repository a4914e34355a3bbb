package com.agentcostcontrol.proxy.llm.provider;

/**
 * What an adapter calls for one attempt of a route plan: a routing-core
 * {@link com.agentcostcontrol.router.routing.Deployment} resolved for the wire — the adapter's provider
 * name, the endpoint and the credential decrypted (see {@code routing.UpstreamTargets}).
 *
 * @param deploymentId the routing deployment id (row UUID or {@code builtin:<provider>:<model>})
 * @param name         the deployment's name, for messages
 * @param provider     the adapter's provider name: openai | anthropic | openai-compatible | azure-openai | sub2api | mock
 * @param model        the model name sent upstream (the Azure deployment name for azure-openai)
 * @param baseUrl      the provider endpoint, or null for the provider's public default
 * @param apiKey       the decrypted credential (never logged), or null
 * @param timeoutMs    the attempt's timeout: longest wait for the answer's status and between two body chunks
 */
public record UpstreamTarget(String deploymentId, String name, String provider, String model, String baseUrl,
        String apiKey, int timeoutMs) {

    public static final String MOCK = "mock";

    @Override
    public String toString() {
        // Keeps the credential out of every log line and exception message.
        return "UpstreamTarget[" + name + ", " + provider + "/" + model + "]";
    }
}
