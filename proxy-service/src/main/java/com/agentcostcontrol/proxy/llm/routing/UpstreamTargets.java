package com.agentcostcontrol.proxy.llm.routing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.platform.crypto.CredentialCipher;
import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.llm.provider.UpstreamTarget;
import com.agentcostcontrol.router.routing.Deployment;

/**
 * Turns a planned routing-core {@link Deployment} into what a provider adapter calls: a row's
 * sealed credential decrypted with {@link CredentialCipher} (bound to the deployment id, as
 * router-service seals it), a built-in's family mapped to its adapter, endpoint and environment
 * key. Decrypted credentials are cached per deployment and ciphertext, so the hot path decrypts
 * once per credential, not per call.
 */
@ApplicationScoped
public class UpstreamTargets {

    /** The deployment cannot be called by this proxy; the plan moves on to the next attempt. */
    public static final class Unusable extends RuntimeException {
        public Unusable(String message) {
            super(message, null, false, false);
        }
    }

    private record Cached(String ciphertext, UpstreamTarget target) {
    }

    private final Optional<CredentialCipher> cipher;
    private final BuiltinProviders builtins;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public UpstreamTargets(ProxyConfig config, BuiltinProviders builtins) {
        this.cipher = config.secretKey().filter(k -> !k.isBlank()).map(CredentialCipher::fromBase64Key);
        this.builtins = builtins;
    }

    /**
     * @throws Unusable when the deployment's credential cannot be decrypted here, or a built-in's
     *                  family has no key (its message names the deployment, never the credential)
     */
    public UpstreamTarget resolve(Deployment d) {
        if (d.isBuiltin()) {
            if (Deployment.PROVIDER_MOCK.equals(d.provider())) {
                return new UpstreamTarget(d.id(), d.name(), UpstreamTarget.MOCK, d.model(), null, null, d.timeoutMs());
            }
            BuiltinProviders.Family f = builtins.family(d.provider()).orElseThrow(() -> new Unusable(
                    "Built-in deployment '" + d.name() + "' needs the " + d.provider() + " credential, which this proxy lacks."));
            return new UpstreamTarget(d.id(), d.name(), f.adapterProvider(), d.model(), f.baseUrl(), f.key().orElse(null),
                    d.timeoutMs());
        }
        String sealed = d.apiKeyCiphertext() == null || d.apiKeyCiphertext().isBlank() ? null : d.apiKeyCiphertext();
        Cached hit = cache.get(d.id());
        if (hit != null && java.util.Objects.equals(hit.ciphertext(), sealed) && same(hit.target(), d)) {
            return hit.target();
        }
        String key = null;
        if (sealed != null) {
            if (cipher.isEmpty()) {
                throw new Unusable("Deployment '" + d.name() + "' has a stored credential but ACC_SECRET_KEY is not set"
                        + " on the proxy.");
            }
            try {
                key = cipher.get().decrypt(sealed, d.id());
            } catch (IllegalArgumentException e) {
                throw new Unusable("Deployment '" + d.name() + "': its credential cannot be decrypted (" + e.getMessage()
                        + "); ACC_SECRET_KEY must match router-service's.");
            }
        }
        UpstreamTarget target = new UpstreamTarget(d.id(), d.name(), d.provider(), d.model(), d.baseUrl(), key,
                d.timeoutMs());
        cache.put(d.id(), new Cached(sealed, target));
        return target;
    }

    private static boolean same(UpstreamTarget t, Deployment d) {
        return t.provider().equals(d.provider()) && t.model().equals(d.model()) && t.timeoutMs() == d.timeoutMs()
                && java.util.Objects.equals(t.baseUrl(), d.baseUrl()) && t.name().equals(d.name());
    }
}
