package com.agentcostcontrol.budget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.IdentityCodec;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Test data (tenants and keys are proxy-service's tables, written directly here) and signed identities. */
@ApplicationScoped
public class Fixtures {

    private final DataSource dataSource;
    private final IdentityCodec codec;

    public Fixtures(DataSource dataSource, IdentityCodec codec) {
        this.dataSource = dataSource;
        this.codec = codec;
    }

    public UUID tenant() {
        UUID id = UUID.randomUUID();
        update("INSERT INTO tenants (id, name) VALUES (?, ?)", id, "t-" + id);
        return id;
    }

    public UUID key(UUID tenant) {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement(
                     "INSERT INTO virtual_keys (id, tenant_id, name, key_hash, prefix) VALUES (?, ?, ?, ?, ?)")) {
            q.setObject(1, id);
            q.setObject(2, tenant);
            q.setString(3, "key");
            q.setString(4, "hash-" + id);
            q.setString(5, "sk-acc-test");
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    /** A request as a tenant admin (a manage-scoped key) of {@code tenant}. */
    public RequestSpecification admin(UUID tenant) {
        return as(new CallerIdentity(CallerIdentity.Kind.KEY, "key-admin", tenant.toString(),
                Set.of(CallerIdentity.Role.TENANT_ADMIN), Set.of("manage")));
    }

    public RequestSpecification viewer(UUID tenant) {
        return as(new CallerIdentity(CallerIdentity.Kind.USER, "viewer", tenant.toString(),
                Set.of(CallerIdentity.Role.TENANT_VIEWER), Set.of()));
    }

    public RequestSpecification operator() {
        return as(CallerIdentity.operator("operator"));
    }

    public RequestSpecification as(CallerIdentity caller) {
        return RestAssured.given().header(IdentityCodec.HEADER, codec.sign(caller)).contentType(ContentType.JSON);
    }

    /** Creates a budget through the API and answers its id. */
    public String budget(UUID tenant, String json) {
        return admin(tenant).body(json).post("/v1/budgets").then().statusCode(201).extract().path("id");
    }

    /** Sets the tenant's alert webhook through the API and answers the signing secret. */
    public String webhook(UUID tenant, String url) {
        return admin(tenant).body("{\"url\": \"" + url + "\"}").put("/v1/budgets/webhook").then().statusCode(200)
                .extract().path("secret");
    }

    /** Polls {@code condition} every 50 ms until it holds; fails after {@code timeout}. */
    public static void eventually(java.time.Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }

    private void update(String sql, UUID id, String text) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, id);
            q.setString(2, text);
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
