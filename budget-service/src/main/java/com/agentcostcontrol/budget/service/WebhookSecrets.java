package com.agentcostcontrol.budget.service;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.agentcostcontrol.budget.config.BudgetConfig;
import com.agentcostcontrol.platform.crypto.CredentialCipher;
import com.agentcostcontrol.platform.error.ApiException;

import io.quarkus.runtime.Startup;

/**
 * Webhook signing secrets: made here, shown once, stored encrypted with {@code ACC_SECRET_KEY}
 * (AES-256-GCM through service-kit's {@link CredentialCipher}). They cannot be hashed like virtual keys:
 * every delivery is signed with the secret itself. Created at startup so a malformed key stops the
 * service with a clear message; without a key the service runs and only configuring a webhook is refused.
 */
@Startup
@ApplicationScoped
public class WebhookSecrets {

    /** Prefix of every secret, so a leaked one is recognisable (as Stripe's {@code whsec_}). */
    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<CredentialCipher> cipher;

    @Inject
    public WebhookSecrets(BudgetConfig config) {
        this(config.webhook().secretKey());
    }

    WebhookSecrets(Optional<String> base64Key) {
        this.cipher = base64Key.filter(k -> !k.isBlank()).map(k -> {
            try {
                return CredentialCipher.fromBase64Key(k);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("budget-service cannot start: " + e.getMessage(), e);
            }
        });
    }

    /** A new secret: {@code whsec_} and 32 random bytes in URL-safe base64. */
    public String newSecret() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /**
     * Encrypts a tenant's secret; the tenant id is bound in as associated data, so a sealed secret
     * copied onto another tenant's row does not decrypt there.
     *
     * @throws ApiException 503 when no key is configured
     */
    public String seal(UUID tenantId, String secret) {
        return cipher.orElseThrow(() -> new ApiException(503, "not_configured",
                "cannot store a webhook signing secret: no encryption key is configured. Set ACC_SECRET_KEY "
                        + "(acc.budget.webhook.secret-key) to the base64 of 32 random bytes, e.g. `openssl rand -base64 32`, "
                        + "and restart budget-service", null))
                .encrypt(secret, tenantId.toString());
    }

    /** @throws IllegalStateException when no key is configured or the value was sealed with another key */
    public String open(UUID tenantId, String ciphertext) {
        CredentialCipher c = cipher.orElseThrow(() -> new IllegalStateException(
                "no encryption key (ACC_SECRET_KEY) is configured to read the webhook signing secret"));
        try {
            return c.decrypt(ciphertext, tenantId.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the webhook signing secret: " + e.getMessage());
        }
    }
}
