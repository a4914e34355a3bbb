package com.agentcostcontrol.platform.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts provider credentials at rest with AES-256-GCM, so a database dump alone does not leak
 * them. Plain JDK, no dependencies: the proxy, which decrypts credentials to call providers, can use
 * this same class.
 * <p>
 * Sealed form: {@code v1:<base64(iv[12] || ciphertext || tag[16])>}, with a fresh random IV per
 * value. The associated data (for deployments: the deployment id) is authenticated but not stored:
 * a ciphertext copied onto another row does not decrypt there. Errors never carry the plaintext.
 */
public final class CredentialCipher {

    /** Marks the format, so a later key or algorithm change can be told apart from this one. */
    public static final String PREFIX = "v1:";

    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** @param key exactly 32 bytes (AES-256) */
    public CredentialCipher(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the credential key must be exactly " + KEY_BYTES + " bytes, got "
                    + (key == null ? 0 : key.length));
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /**
     * Builds a cipher from the base64 text of a 32-byte key, as given in {@code ACC_SECRET_KEY}.
     *
     * @throws IllegalArgumentException with a message that says how to make a valid key
     */
    public static CredentialCipher fromBase64Key(String base64Key) {
        String how = "ACC_SECRET_KEY must be the base64 of exactly 32 random bytes, e.g. the output of "
                + "`openssl rand -base64 32`";
        if (base64Key == null || base64Key.isBlank()) {
            throw new IllegalArgumentException(how + "; it is empty");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(how + "; it is not valid base64");
        }
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException(how + "; it decodes to " + raw.length + " bytes");
        }
        return new CredentialCipher(raw);
    }

    /** Encrypts {@code plaintext}, bound to {@code associatedData} (may be empty, not null). */
    public String encrypt(String plaintext, String associatedData) {
        if (plaintext == null) {
            throw new IllegalArgumentException("nothing to encrypt");
        }
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Decrypts a value made by {@link #encrypt} with the same key and associated data.
     *
     * @throws IllegalArgumentException when the value is malformed, was made with another key or
     *         associated data, or was altered
     */
    public String decrypt(String sealedValue, String associatedData) {
        if (sealedValue == null || !sealedValue.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a sealed credential (expected the " + PREFIX + " prefix)");
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(sealedValue.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sealed credential is not valid base64");
        }
        if (all.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("sealed credential is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException(
                    "sealed credential does not verify: another key (ACC_SECRET_KEY changed?), another row, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
