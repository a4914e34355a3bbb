package com.agentcostcontrol.proxy.llm.routing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

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

    /** A resolved row: its target, or why it cannot be called (remembered so a bad row costs one decrypt, not one per call). */
    private static final Logger LOG = Logger.getLogger(UpstreamTargets.class);

    private record Cached(Deployment deployment, UpstreamTarget target, String unusable) {
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
        if (hit == null || !hit.deployment().equals(d)) {
            hit = decrypt(d, sealed);
            cache.put(d.id(), hit);
            if (hit.unusable() != null) {
                LOG.warnf("%s; the proxy skips it", hit.unusable());
            }
        }
        if (hit.target() == null) {
            throw new Unusable(hit.unusable());
        }
        return hit.target();
    }

    private Cached decrypt(Deployment d, String sealed) {
        String key = null;
        if (sealed != null) {
            if (cipher.isEmpty()) {
                return new Cached(d, null, "Deployment '" + d.name() + "' has a stored credential but ACC_SECRET_KEY"
                        + " is not set on the proxy.");
            }
            try {
                key = cipher.get().decrypt(sealed, d.id());
            } catch (IllegalArgumentException e) {
                return new Cached(d, null, "Deployment '" + d.name() + "': its credential cannot be decrypted ("
                        + e.getMessage() + "); ACC_SECRET_KEY must match router-service's.");
            }
        }
        return new Cached(d, new UpstreamTarget(d.id(), d.name(), d.provider(), d.model(), d.baseUrl(), key,
                d.timeoutMs()), null);
    }
}
