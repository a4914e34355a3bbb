package com.agentcostcontrol.router.planning;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.ConfigProvider;

import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.IdentityCodec;

import io.restassured.specification.RequestSpecification;

/**
 * Test helpers: signed identities, and rows in the routing tables written with plain JDBC (the
 * deployments/routes API belongs to another part of router-service; the rows are what it writes).
 */
public final class RoutingTables {

    public static final String TENANT_A = "7a1c0000-0000-4000-8000-0000000000a1";
    public static final String TENANT_B = "7a1c0000-0000-4000-8000-0000000000b2";

    private final DataSource dataSource;

    public RoutingTables(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static RequestSpecification as(CallerIdentity caller) {
        IdentityCodec codec = new IdentityCodec(ConfigProvider.getConfig().getValue("acc.internal.secret", String.class));
        return given().header(IdentityCodec.HEADER, codec.sign(caller)).contentType("application/json");
    }

    /**
     * docs/IDENTITY.md: {@code call} with another tenant's id answers 404, byte for byte what it answers with a
     * tenant id that does not exist.
     */
    public static void assertSameAsNonexistent(java.util.function.Function<String, io.restassured.response.Response> call,
            String theirs) {
        io.restassured.response.Response other = call.apply(theirs);
        io.restassured.response.Response none = call.apply(UUID.randomUUID().toString());
        org.junit.jupiter.api.Assertions.assertEquals(404, other.statusCode(), other.asString());
        org.junit.jupiter.api.Assertions.assertEquals("not_found", other.path("error.type"));
        org.junit.jupiter.api.Assertions.assertEquals(none.statusCode(), other.statusCode());
        org.junit.jupiter.api.Assertions.assertEquals(none.asString(), other.asString());
    }

    public static RequestSpecification asOperator() {
        return as(CallerIdentity.operator("ops"));
    }

    /** A key with scope manage: tenant admin. */
    public static RequestSpecification asTenant(String tenant) {
        return as(new CallerIdentity(CallerIdentity.Kind.KEY, "key-" + tenant, tenant,
                Set.of(CallerIdentity.Role.TENANT_ADMIN), Set.of("llm", "manage")));
    }

    public static RequestSpecification asViewer(String tenant) {
        return as(new CallerIdentity(CallerIdentity.Kind.USER, "viewer-" + tenant, tenant,
                Set.of(CallerIdentity.Role.TENANT_VIEWER), Set.of()));
    }

    /** Empties the routing tables and makes sure both test tenants exist. */
    public void reset() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM routing_rules");
            s.execute("DELETE FROM routes");
            s.execute("DELETE FROM deployments");
            s.execute("DELETE FROM tenant_price_overrides WHERE tenant_id IN ('" + TENANT_A + "', '" + TENANT_B + "')");
            s.execute("INSERT INTO tenants (id, name) VALUES ('" + TENANT_A + "', 'tenant a'), ('" + TENANT_B
                    + "', 'tenant b') ON CONFLICT (id) DO NOTHING");
        }
    }

    /** Inserts a deployment; answers its id. */
    public String deployment(String tenant, String name, String provider, String model, int weight) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO deployments (id, tenant_id, name, provider, model, weight) VALUES (?::uuid, ?::uuid, ?, ?, ?, ?)")) {
            p.setString(1, id);
            p.setString(2, tenant);
            p.setString(3, name);
            p.setString(4, provider);
            p.setString(5, model);
            p.setInt(6, weight);
            p.executeUpdate();
        }
        return id;
    }

    public void route(String tenant, String model, String strategy, String[] deployments, String... fallbacks)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO routes (id, tenant_id, model, strategy, deployments, fallbacks) VALUES (?::uuid, ?::uuid, ?, ?, ?, ?)")) {
            p.setString(1, UUID.randomUUID().toString());
            p.setString(2, tenant);
            p.setString(3, model);
            p.setString(4, strategy);
            p.setArray(5, c.createArrayOf("text", deployments));
            p.setArray(6, c.createArrayOf("text", fallbacks));
            p.executeUpdate();
        }
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
