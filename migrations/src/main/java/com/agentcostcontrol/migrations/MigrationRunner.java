package com.agentcostcontrol.migrations;

import org.flywaydb.core.api.output.MigrateResult;

/**
 * One-shot runner: {@code java -jar acc-migrations.jar}. Reads {@code ACC_DB_URL},
 * {@code ACC_DB_USER}, {@code ACC_DB_PASSWORD}; exits 0 when the schema is current.
 */
public final class MigrationRunner {

    private MigrationRunner() {
    }

    public static void main(String[] args) {
        String url = env("ACC_DB_URL", "jdbc:postgresql://127.0.0.1:5432/acc");
        String user = env("ACC_DB_USER", "acc");
        String password = env("ACC_DB_PASSWORD", "acc");
        try {
            MigrateResult result = Migrator.migrate(url, user, password);
            System.out.printf("acc-migrations: schema at version %s (%d migration(s) applied)%n",
                    result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion,
                    result.migrationsExecuted);
        } catch (RuntimeException e) {
            System.err.println("acc-migrations: failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
