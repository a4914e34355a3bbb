package com.agentcostcontrol.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.eclipse.microprofile.config.ConfigProvider;

import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.CallerIdentity.Kind;
import com.agentcostcontrol.platform.identity.CallerIdentity.Role;
import com.agentcostcontrol.platform.identity.IdentityCodec;

/**
 * Signed {@code X-ACC-Identity} header values for tests of control-plane services, made with the
 * service's own {@code acc.internal.secret} (its {@code %test} value), as the proxy would forward them;
 * plus forged and expired ones for the negative cases.
 */
public final class TestIdentities {

    /** A secret the service does not know: headers signed with it are forgeries. */
    private static final String FOREIGN_SECRET = "not-the-service-secret-0123456789abcdef";

    private TestIdentities() {
    }

    public static String header() {
        return IdentityCodec.HEADER;
    }

    /** Signs with the service's secret; valid for a minute. */
    public static String sign(CallerIdentity identity) {
        return new IdentityCodec(secret()).sign(identity);
    }

    /** Signs with another secret: the service must reject it as forged. */
    public static String forged(CallerIdentity identity) {
        return new IdentityCodec(FOREIGN_SECRET).sign(identity);
    }

    /** Signs with the service's secret, but issued ten minutes ago and so long expired. */
    public static String expired(CallerIdentity identity) {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        return new IdentityCodec(secret(), Duration.ofSeconds(60), past).sign(identity);
    }

    public static String operator() {
        return sign(CallerIdentity.operator("test-operator"));
    }

    public static String service(String name) {
        return sign(CallerIdentity.service(name));
    }

    public static String tenantAdmin(String tenantId) {
        return sign(tenantAdminIdentity(tenantId));
    }

    public static String tenantViewer(String tenantId) {
        return sign(new CallerIdentity(Kind.USER, "viewer-of-" + tenantId, tenantId, Set.of(Role.TENANT_VIEWER), Set.of()));
    }

    /** A virtual key with the {@code manage} scope, which the proxy forwards with the tenant-admin role. */
    public static String manageKey(String tenantId, String keyId) {
        return sign(new CallerIdentity(Kind.KEY, keyId, tenantId, Set.of(Role.TENANT_ADMIN), Set.of("llm", "manage")));
    }

    public static CallerIdentity tenantAdminIdentity(String tenantId) {
        return new CallerIdentity(Kind.USER, "admin-of-" + tenantId, tenantId, Set.of(Role.TENANT_ADMIN), Set.of());
    }

    private static String secret() {
        return ConfigProvider.getConfig().getValue("acc.internal.secret", String.class);
    }
}
