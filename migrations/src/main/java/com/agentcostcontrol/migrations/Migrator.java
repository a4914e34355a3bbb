package com.agentcostcontrol.migrations;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the shared schema's single Flyway history. Used by {@link MigrationRunner} in
 * deployments and by every service's tests (each on its own test database).
 */
public final class Migrator {

    /** Classpath location of the SQL history; the only place schema changes are written. */
    public static final String LOCATION = "classpath:db/migration";

    private static final Pattern SAFE_DB_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private Migrator() {
    }

    /** Runs every pending migration and returns how many were applied. */
    public static MigrateResult migrate(String jdbcUrl, String user, String password) {
        return flyway(jdbcUrl, user, password, false).migrate();
    }

    /** Drops everything in the schema, then migrates: for test databases only. */
    public static MigrateResult cleanAndMigrate(String jdbcUrl, String user, String password) {
        Flyway flyway = flyway(jdbcUrl, user, password, true);
        flyway.clean();
        return flyway.migrate();
    }

    private static Flyway flyway(String jdbcUrl, String user, String password, boolean allowClean) {
        return Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations(LOCATION)
                .cleanDisabled(!allowClean)
                .load();
    }

    /**
     * Creates {@code database} on the server of {@code adminJdbcUrl} when it does not exist yet.
     * Postgres has no CREATE DATABASE IF NOT EXISTS, hence the catalog look-up.
     */
    public static void createDatabaseIfMissing(String adminJdbcUrl, String user, String password, String database) {
        if (!SAFE_DB_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("database name must match " + SAFE_DB_NAME + ": " + database);
        }
        try (Connection c = DriverManager.getConnection(adminJdbcUrl, user, password);
             PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, database);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (var create = c.createStatement()) {
                create.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                // Another process created it between our check and our CREATE: fine.
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }
}
