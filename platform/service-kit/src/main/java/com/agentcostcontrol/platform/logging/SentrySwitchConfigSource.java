package com.agentcostcontrol.platform.logging;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns Sentry error reporting on exactly when {@code SENTRY_DSN} is set, so a service reports
 * errors when given a DSN and stays silent (no warning, no failed start) without one.
 * Its ordinal sits below environment variables, so {@code QUARKUS_LOG_SENTRY_ENABLED} still wins.
 */
public class SentrySwitchConfigSource implements ConfigSource {

    private final Map<String, String> values;

    public SentrySwitchConfigSource() {
        String dsn = System.getenv("SENTRY_DSN");
        boolean on = dsn != null && !dsn.isBlank();
        this.values = on
                ? Map.of("quarkus.log.sentry.enabled", "true", "quarkus.log.sentry.dsn", dsn)
                : Map.of("quarkus.log.sentry.enabled", "false");
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "acc-sentry-switch";
    }

    @Override
    public int getOrdinal() {
        return 275;
    }
}
