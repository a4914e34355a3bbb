package com.agentcostcontrol.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;

import org.junit.jupiter.api.Test;

class IdentityCodecTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    private final CallerIdentity admin = new CallerIdentity(CallerIdentity.Kind.KEY, "key-1", "tenant-a",
            Set.of(CallerIdentity.Role.TENANT_ADMIN), Set.of("manage"));

    @Test
    void roundTripsEveryField() {
        IdentityCodec codec = new IdentityCodec(SECRET);
        CallerIdentity back = codec.verify(codec.sign(admin));
        assertEquals(admin, back);
    }

    @Test
    void rejectsASignatureMadeWithAnotherSecret() {
        String forged = new IdentityCodec("another-secret-another-secret-another").sign(admin);
        InvalidIdentityException e = assertThrows(InvalidIdentityException.class,
                () -> new IdentityCodec(SECRET).verify(forged));
        assertTrue(e.getMessage().contains("forged"), e.getMessage());
    }

    @Test
    void rejectsATamperedPayload() {
        IdentityCodec codec = new IdentityCodec(SECRET);
        String[] parts = codec.sign(admin).split("\\.");
        String json = new String(Base64.getUrlDecoder().decode(parts[1])).replace("tenant-a", "tenant-b");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes())
                + "." + parts[2];
        assertThrows(InvalidIdentityException.class, () -> codec.verify(tampered));
    }

    @Test
    void rejectsAnExpiredIdentity() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        String signed = new IdentityCodec(SECRET, Duration.ofSeconds(60), Clock.fixed(t0, ZoneOffset.UTC)).sign(admin);
        IdentityCodec later = new IdentityCodec(SECRET, Duration.ofSeconds(60),
                Clock.fixed(t0.plusSeconds(61), ZoneOffset.UTC));
        InvalidIdentityException e = assertThrows(InvalidIdentityException.class, () -> later.verify(signed));
        assertTrue(e.getMessage().contains("expired"));
    }

    @Test
    void rejectsMissingAndMalformedHeaders() {
        IdentityCodec codec = new IdentityCodec(SECRET);
        assertThrows(InvalidIdentityException.class, () -> codec.verify(null));
        assertThrows(InvalidIdentityException.class, () -> codec.verify("v1.abc"));
        assertThrows(InvalidIdentityException.class, () -> codec.verify("v2.a.b"));
    }

    @Test
    void refusesShortSecrets() {
        assertThrows(IllegalArgumentException.class, () -> new IdentityCodec("short"));
    }

    @Test
    void tenantAccessRules() {
        assertTrue(admin.canWrite("tenant-a"));
        assertFalse(admin.canRead("tenant-b"));
        CallerIdentity viewer = new CallerIdentity(CallerIdentity.Kind.USER, "u", "tenant-a",
                Set.of(CallerIdentity.Role.TENANT_VIEWER), Set.of());
        assertTrue(viewer.canRead("tenant-a"));
        assertFalse(viewer.canWrite("tenant-a"));
        assertTrue(CallerIdentity.operator("op").canWrite("tenant-b"));
    }
}
