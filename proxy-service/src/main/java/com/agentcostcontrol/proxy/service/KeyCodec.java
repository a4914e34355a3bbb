package com.agentcostcontrol.proxy.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes and hashes virtual keys. A key is {@code sk-acc-} + 43 base62 characters (256 bits of
 * entropy from SecureRandom). Only the SHA-256 hex digest is stored: the key has enough entropy
 * that a slow password hash would add latency without adding safety.
 */
public final class KeyCodec {

    public static final String KEY_PREFIX = "sk-acc-";
    private static final int SECRET_CHARS = 43;
    /** Characters of the key kept in clear, to recognise it in listings and logs. */
    private static final int DISPLAY_PREFIX_CHARS = KEY_PREFIX.length() + 6;
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyCodec() {
    }

    public static String newKey() {
        StringBuilder sb = new StringBuilder(KEY_PREFIX.length() + SECRET_CHARS).append(KEY_PREFIX);
        for (int i = 0; i < SECRET_CHARS; i++) {
            sb.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return sb.toString();
    }

    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(DISPLAY_PREFIX_CHARS, key.length()));
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Cheap shape check so garbage never reaches the cache or the database. */
    public static boolean looksLikeKey(String presented) {
        return presented != null && presented.startsWith(KEY_PREFIX)
                && presented.length() == KEY_PREFIX.length() + SECRET_CHARS;
    }
}
