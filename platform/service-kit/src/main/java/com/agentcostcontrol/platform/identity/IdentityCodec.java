package com.agentcostcontrol.platform.identity;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Encodes a {@link CallerIdentity} as {@code v1.<payload>.<signature>} (base64url JSON and
 * HMAC-SHA256 over {@code v1.<payload>}) for the {@value #HEADER} header, and verifies it.
 * The payload carries issue and expiry times so a captured header is useful only briefly.
 */
public final class IdentityCodec {

    /** The header the proxy (or a calling service) puts the signed identity in. */
    public static final String HEADER = "X-ACC-Identity";

    private static final String VERSION = "v1";
    private static final int MIN_SECRET_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    public IdentityCodec(String secret, Duration ttl, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "the internal identity secret (ACC_INTERNAL_SECRET) must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.ttl = ttl;
        this.clock = clock;
    }

    public IdentityCodec(String secret) {
        this(secret, Duration.ofSeconds(60), Clock.systemUTC());
    }

    public String sign(CallerIdentity identity) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("kind", identity.kind().name());
        claims.put("sub", identity.subject());
        claims.put("tenant", identity.tenantId());
        claims.put("roles", List.copyOf(identity.roles()));
        claims.put("scopes", List.copyOf(identity.scopes()));
        claims.put("iat", now);
        claims.put("exp", now + ttl.getSeconds());
        try {
            String payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
            String signed = VERSION + "." + payload;
            return signed + "." + B64.encodeToString(mac(signed));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode identity", e);
        }
    }

    /**
     * Verifies a header value and returns the identity in it.
     *
     * @throws InvalidIdentityException when the value is missing, malformed, forged or expired
     */
    public CallerIdentity verify(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            throw new InvalidIdentityException("missing " + HEADER + " header");
        }
        String[] parts = headerValue.split("\\.");
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new InvalidIdentityException("malformed " + HEADER + " header");
        }
        byte[] expected = mac(parts[0] + "." + parts[1]);
        byte[] given;
        try {
            given = B64D.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidIdentityException("malformed " + HEADER + " signature");
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw new InvalidIdentityException("forged " + HEADER + " header: bad signature");
        }
        try {
            JsonNode claims = JSON.readTree(B64D.decode(parts[1]));
            long exp = claims.path("exp").asLong(0);
            if (clock.instant().getEpochSecond() > exp) {
                throw new InvalidIdentityException("expired " + HEADER + " header");
            }
            return new CallerIdentity(
                    CallerIdentity.Kind.valueOf(claims.path("kind").asText()),
                    claims.path("sub").asText(null),
                    claims.path("tenant").isNull() ? null : claims.path("tenant").asText(null),
                    strings(claims.path("roles")),
                    strings(claims.path("scopes")));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new InvalidIdentityException("malformed " + HEADER + " payload");
        }
    }

    private static Set<String> strings(JsonNode array) {
        var out = new java.util.HashSet<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private byte[] mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
