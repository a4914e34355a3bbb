package com.agentcostcontrol.platform.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void roundTripsAndNeverRepeatsACiphertext() {
        CredentialCipher cipher = new CredentialCipher(KEY);
        String a = cipher.encrypt("sk-live-secret");
        String b = cipher.encrypt("sk-live-secret");
        assertTrue(a.startsWith("v1:"));
        assertFalse(a.contains("sk-live-secret"));
        assertNotEquals(a, b);
        assertEquals("sk-live-secret", cipher.decrypt(a));
    }

    @Test
    void refusesAnotherKeyOrAlteredText() {
        String sealed = new CredentialCipher(KEY).encrypt("sk-live-secret");
        assertThrows(IllegalArgumentException.class, () -> new CredentialCipher(OTHER).decrypt(sealed));
        char[] chars = sealed.toCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        assertThrows(IllegalArgumentException.class, () -> new CredentialCipher(KEY).decrypt(new String(chars)));
        assertThrows(IllegalArgumentException.class, () -> new CredentialCipher(KEY).decrypt("plain"));
    }

    @Test
    void refusesKeysOfTheWrongSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CredentialCipher(Base64.getEncoder().encodeToString(new byte[16])));
        assertTrue(e.getMessage().contains("32 bytes"));
    }
}
