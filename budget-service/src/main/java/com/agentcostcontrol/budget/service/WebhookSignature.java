package com.agentcostcontrol.budget.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery, Stripe-style: header {@value #HEADER} is
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}, where the key is the secret
 * string's UTF-8 bytes and the body is the raw request body. A receiver recomputes the HMAC over the
 * raw body, compares in constant time and refuses timestamps outside its replay window.
 */
public final class WebhookSignature {

    public static final String HEADER = "x-acc-signature";
    /** Replay window suggested to receivers. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    /** The header value for {@code body} sent at {@code unixSeconds}. */
    public static String sign(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds + "." + body);
    }

    /**
     * Whether {@code header} is a valid signature of {@code body} with {@code secret}, made within
     * {@code tolerance} of {@code now}. Any {@code v1} entry may match (several appear while a receiver
     * rotates secrets).
     */
    public static boolean verify(String header, String body, String secret, Instant now, Duration tolerance) {
        if (header == null || body == null || secret == null) {
            return false;
        }
        Long t = null;
        List<String> candidates = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String k = part.substring(0, eq).trim();
            String v = part.substring(eq + 1).trim();
            if (k.equals("t")) {
                try {
                    t = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (k.equals("v1")) {
                candidates.add(v);
            }
        }
        if (t == null || candidates.isEmpty() || Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = hmacHex(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String c : candidates) {
            ok |= MessageDigest.isEqual(expected, c.getBytes(StandardCharsets.US_ASCII));
        }
        return ok;
    }

    static String hmacHex(String secret, String signedPayload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signedPayload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
