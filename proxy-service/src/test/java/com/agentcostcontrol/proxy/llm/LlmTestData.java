package com.agentcostcontrol.proxy.llm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.agentcostcontrol.platform.crypto.CredentialCipher;
import com.agentcostcontrol.proxy.service.KeyCodec;

/** Rows the LLM tests need, inserted with JDBC (the admin API is another module's work). */
public final class LlmTestData {

    /** The %test value of acc.proxy.secret-key. */
    public static final String SECRET_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    public record Issued(String key, UUID keyId, UUID tenantId) {
    }

    private final DataSource dataSource;

    public LlmTestData(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Issued key(String tenantStatus, List<String> models, String... scopes) {
        UUID tenantId = UUID.randomUUID();
        UUID keyId = UUID.randomUUID();
        String key = KeyCodec.newKey();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement q = c.prepareStatement("INSERT INTO tenants (id, name, status) VALUES (?, 'acme', ?)")) {
                q.setObject(1, tenantId);
                q.setString(2, tenantStatus);
                q.executeUpdate();
            }
            try (PreparedStatement q = c.prepareStatement(
                    "INSERT INTO virtual_keys (id, tenant_id, name, key_hash, prefix, scopes, allowed_models) "
                            + "VALUES (?, ?, 'ci', ?, ?, ?, ?)")) {
                q.setObject(1, keyId);
                q.setObject(2, tenantId);
                q.setString(3, KeyCodec.hash(key));
                q.setString(4, KeyCodec.displayPrefix(key));
                q.setArray(5, c.createArrayOf("text", scopes.length == 0 ? new String[] { "llm" } : scopes));
                q.setArray(6, models == null ? null : c.createArrayOf("text", models.toArray(new String[0])));
                q.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(key, keyId, tenantId);
    }

    public Issued key() {
        return key("active", null);
    }

    /** An operator-level deployment; the credential is stored encrypted like router-service does. */
    public String deployment(String name, String provider, String model, String baseUrl, String apiKey) {
        return deployment(name, provider, model, baseUrl, apiKey, 1, 5000);
    }

    /** An operator-level deployment with a weight and a timeout; returns its id. */
    public String deployment(String name, String provider, String model, String baseUrl, String apiKey, int weight,
            int timeoutMs) {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO deployments (id, name, provider, model, base_url, api_key_ciphertext, weight, timeout_ms) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            q.setObject(1, id);
            q.setString(2, name);
            q.setString(3, provider);
            q.setString(4, model);
            q.setString(5, baseUrl);
            q.setString(6, apiKey == null ? null : CredentialCipher.fromBase64Key(SECRET_KEY).encrypt(apiKey, id.toString()));
            q.setInt(7, weight);
            q.setInt(8, timeoutMs);
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id.toString();
    }

    /** An operator-level route (priority strategy). */
    public void route(String model, List<String> deployments, List<String> fallbacks) {
        route(model, deployments, fallbacks, "priority");
    }

    /** An operator-level route with a strategy ({@code priority|weighted|lowest-latency|lowest-cost}). */
    public void route(String model, List<String> deployments, List<String> fallbacks, String strategy) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO routes (id, model, deployments, fallbacks, strategy) VALUES (?, ?, ?, ?, ?)")) {
            q.setObject(1, UUID.randomUUID());
            q.setString(2, model);
            q.setArray(3, c.createArrayOf("text", deployments.toArray(new String[0])));
            q.setArray(4, c.createArrayOf("text", fallbacks.toArray(new String[0])));
            q.setString(5, strategy);
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
