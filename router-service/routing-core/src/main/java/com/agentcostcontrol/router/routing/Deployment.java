package com.agentcostcontrol.router.routing;

/**
 * One model at one provider endpoint with one credential: a row of {@code deployments}, or a
 * built-in deployment the proxy derives from its environment (see {@link BuiltinDeployments}).
 *
 * @param id                 stable id: the row's UUID, or {@link #builtinId(String, String)} for a
 *                           built-in. Deployment health in Redis is keyed by it.
 * @param tenantId           owning tenant; {@code null} for operator-level and built-in deployments
 * @param name               unique per owner; routes list deployments by name
 * @param provider           openai, anthropic, openai-compatible, azure-openai, sub2api, mock (rows),
 *                           or a catalog provider family for built-ins (openrouter, groq, ...)
 * @param model              the model name sent upstream; priced through the catalog by this name
 * @param baseUrl            endpoint, {@code null} for the provider's default
 * @param apiKeyCiphertext   the sealed credential ({@code CredentialCipher}), {@code null} when none;
 *                           never logged, never shown by an API
 * @param weight             share under the {@code weighted} strategy (> 0)
 * @param timeoutMs          upstream timeout of one attempt (> 0)
 * @param enabled            a disabled deployment is never planned
 */
public record Deployment(String id, String tenantId, String name, String provider, String model, String baseUrl,
        String apiKeyCiphertext, int weight, int timeoutMs, boolean enabled) {

    public static final String PROVIDER_OPENAI = "openai";
    public static final String PROVIDER_ANTHROPIC = "anthropic";
    public static final String PROVIDER_OPENAI_COMPATIBLE = "openai-compatible";
    public static final String PROVIDER_AZURE_OPENAI = "azure-openai";
    public static final String PROVIDER_SUB2API = "sub2api";
    public static final String PROVIDER_MOCK = "mock";

    /** Prefix of built-in deployment ids. */
    public static final String BUILTIN_PREFIX = "builtin:";

    /** Default upstream timeout of built-in deployments (the {@code deployments.timeout_ms} default). */
    public static final int DEFAULT_TIMEOUT_MS = 60_000;

    public Deployment {
        requireText(id, "id");
        requireText(name, "name");
        requireText(provider, "provider");
        requireText(model, "model");
        if (weight <= 0) {
            throw new IllegalArgumentException("deployment " + name + ": weight must be positive, got " + weight);
        }
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("deployment " + name + ": timeout must be positive, got " + timeoutMs);
        }
        if (id.indexOf('{') >= 0 || id.indexOf('}') >= 0) {
            // The id is a Redis hash tag in acc:health:{<id>}.
            throw new IllegalArgumentException("deployment id must not contain braces: " + id);
        }
    }

    /**
     * A built-in deployment: id {@code builtin:<provider>:<model>}, name the same, operator level,
     * weight 1. The proxy must use exactly this id when it records outcomes, so that its health is
     * shared.
     */
    public static Deployment builtin(String provider, String model, String baseUrl, int timeoutMs) {
        String id = builtinId(provider, model);
        return new Deployment(id, null, id, provider, model, baseUrl, null, 1, timeoutMs, true);
    }

    /** {@code builtin:<provider>:<model>}. */
    public static String builtinId(String provider, String model) {
        return BUILTIN_PREFIX + provider + ":" + model;
    }

    public boolean isBuiltin() {
        return id.startsWith(BUILTIN_PREFIX);
    }

    /** Operator-level (or built-in): visible to every tenant. */
    public boolean isOperatorLevel() {
        return tenantId == null;
    }

    /** The dialect this deployment speaks, for a request that arrived in {@code inbound}. */
    public WireFormat format(WireFormat inbound) {
        return WireFormat.of(provider, model, inbound);
    }

    @Override
    public String toString() {
        // Never the credential, not even its ciphertext.
        return "Deployment[" + id + " " + name + " " + provider + "/" + model + (enabled ? "" : " disabled") + "]";
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("deployment " + what + " is required");
        }
    }
}
