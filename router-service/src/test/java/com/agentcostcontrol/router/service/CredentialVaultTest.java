package com.agentcostcontrol.router.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.crypto.CredentialCipher;

class CredentialVaultTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void withoutAKeyStoringACredentialIsRefusedWithAFix() {
        CredentialVault vault = new CredentialVault(Optional.empty());
        assertFalse(vault.isConfigured());
        ApiException e = assertThrows(ApiException.class, () -> vault.seal(UUID.randomUUID(), "sk-x"));
        assertEquals(503, e.status());
        assertEquals("apiKey", e.field());
        assertTrue(e.getMessage().contains("ACC_SECRET_KEY"), e.getMessage());
        assertFalse(new CredentialVault(Optional.of("  ")).isConfigured());
    }

    @Test
    void aMalformedKeyStopsStartup() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CredentialVault(Optional.of("dG9vLXNob3J0")));
        assertTrue(e.getMessage().startsWith("router-service cannot start"), e.getMessage());
        assertTrue(e.getMessage().contains("ACC_SECRET_KEY"), e.getMessage());
    }

    @Test
    void sealsBoundToTheDeploymentId() {
        CredentialVault vault = new CredentialVault(Optional.of(KEY));
        UUID id = UUID.randomUUID();
        String sealed = vault.seal(id, "sk-secret");
        CredentialCipher cipher = CredentialCipher.fromBase64Key(KEY);
        assertEquals("sk-secret", cipher.decrypt(sealed, id.toString()));
        assertThrows(IllegalArgumentException.class, () -> cipher.decrypt(sealed, UUID.randomUUID().toString()));
    }
}
