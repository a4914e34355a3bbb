package com.agentcostcontrol.router.service;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.router.config.RouterConfig;
import com.agentcostcontrol.platform.crypto.CredentialCipher;

import io.quarkus.runtime.Startup;

/**
 * Seals provider credentials with the configured key ({@code ACC_SECRET_KEY}). Created at startup so
 * a malformed key stops the service with a clear message; with no key at all the service runs and
 * only storing a credential is refused.
 */
@Startup
@ApplicationScoped
public class CredentialVault {

    private final Optional<CredentialCipher> cipher;

    @Inject
    public CredentialVault(RouterConfig config) {
        this(config.secretKey());
    }

    CredentialVault(Optional<String> base64Key) {
        this.cipher = base64Key.filter(k -> !k.isBlank()).map(k -> {
            try {
                return CredentialCipher.fromBase64Key(k);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("router-service cannot start: " + e.getMessage(), e);
            }
        });
    }

    public boolean isConfigured() {
        return cipher.isPresent();
    }

    /**
     * Encrypts a deployment's credential, bound to the deployment id.
     *
     * @throws ApiException 503 when no key is configured
     */
    public String seal(UUID deploymentId, String apiKey) {
        return cipher.orElseThrow(() -> new ApiException(503, "not_configured",
                "cannot store provider credentials: no encryption key is configured. Set ACC_SECRET_KEY "
                        + "(acc.router.secret-key) to the base64 of 32 random bytes, e.g. `openssl rand -base64 32`, "
                        + "give the proxy the same value, and restart router-service", "apiKey"))
                .encrypt(apiKey, deploymentId.toString());
    }
}
