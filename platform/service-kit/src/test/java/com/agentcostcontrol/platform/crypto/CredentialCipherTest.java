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
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString(
            "another-32-byte-key-for-testing!".getBytes());

    private final CredentialCipher cipher = CredentialCipher.fromBase64Key(KEY);

    @Test
    void roundTripsWithTheSameKeyAndAssociatedData() {
        String sealed = cipher.encrypt("sk-live-secret-1234", "deployment-1");
        assertTrue(sealed.startsWith("v1:"), sealed);
        assertFalse(sealed.contains("sk-live-secret-1234"));
        assertEquals("sk-live-secret-1234", cipher.decrypt(sealed, "deployment-1"));
        assertEquals("", cipher.decrypt(cipher.encrypt("", "x"), "x"));
    }

    @Test
    void everyEncryptionUsesAFreshIv() {
        assertNotEquals(cipher.encrypt("same", "d"), cipher.encrypt("same", "d"));
    }

    @Test
    void refusesAnotherRowsAssociatedData() {
        String sealed = cipher.encrypt("sk-abc", "deployment-1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cipher.decrypt(sealed, "deployment-2"));
        assertFalse(e.getMessage().contains("sk-abc"));
    }

    @Test
    void refusesAnotherKey() {
        String sealed = cipher.encrypt("sk-abc", "d");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CredentialCipher.fromBase64Key(OTHER_KEY).decrypt(sealed, "d"));
        assertTrue(e.getMessage().contains("ACC_SECRET_KEY"), e.getMessage());
    }

    @Test
    void detectsTampering() {
        String sealed = cipher.encrypt("sk-abc", "d");
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 20] ^= 1;
        String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThrows(IllegalArgumentException.class, () -> cipher.decrypt(tampered, "d"));
        assertThrows(IllegalArgumentException.class, () -> cipher.decrypt("v2:abcd", "d"));
        assertThrows(IllegalArgumentException.class, () -> cipher.decrypt("v1:!!!", "d"));
        assertThrows(IllegalArgumentException.class, () -> cipher.decrypt("v1:AAAA", "d"));
    }

    @Test
    void keyErrorsSayHowToMakeAKey() {
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> CredentialCipher.fromBase64Key(Base64.getEncoder().encodeToString(new byte[16])));
        assertTrue(shortKey.getMessage().contains("openssl rand -base64 32"), shortKey.getMessage());
        assertTrue(shortKey.getMessage().contains("16 bytes"), shortKey.getMessage());
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> CredentialCipher.fromBase64Key("not base64 at all!"));
        assertTrue(notBase64.getMessage().contains("not valid base64"), notBase64.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CredentialCipher.fromBase64Key(" "));
        assertThrows(IllegalArgumentException.class, () -> new CredentialCipher(new byte[31]));
    }
}
