package com.agentcostcontrol.proxy.config;

import jakarta.annotation.Priority;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * Turns quarkus-oidc's default tenant off when no issuer is configured, so a gateway without
 * {@code ACC_OIDC_ISSUER} starts (quarkus-oidc otherwise refuses to start without
 * {@code quarkus.oidc.auth-server-url}) and simply accepts no OIDC tokens. An explicit
 * {@code quarkus.oidc.tenant-enabled} still wins. The issuer is read back through the whole
 * config chain, so profiles, expressions and environment overrides all count.
 */
@Priority(Priorities.APPLICATION + 100)
public class OidcSwitchInterceptor implements ConfigSourceInterceptor {

    static final String TENANT_ENABLED = "quarkus.oidc.tenant-enabled";
    static final String ISSUER = "quarkus.oidc.auth-server-url";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!TENANT_ENABLED.equals(name) || explicitlySet(value)) {
            return value;
        }
        ConfigValue issuer = context.restart(ISSUER);
        if (issuer != null && issuer.getValue() != null && !issuer.getValue().isBlank()) {
            return value;
        }
        return ConfigValue.builder().withName(name).withValue("false")
                .withConfigSourceName("acc-oidc-switch (no quarkus.oidc.auth-server-url / ACC_OIDC_ISSUER)")
                .build();
    }

    /** Defaults (of the config mapping, or recorded at build time) sit at negative ordinals. */
    private static boolean explicitlySet(ConfigValue value) {
        return value != null && value.getValue() != null && value.getConfigSourceOrdinal() > 0;
    }
}
