package com.agentcostcontrol.budget.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.budget.Webhook;

/** Table {@code budget_webhooks}: one alert webhook per tenant. */
@ApplicationScoped
public class WebhookRepository {

    private final DataSource dataSource;

    public WebhookRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates or replaces the tenant's webhook (URL and secret); answers the stored row. */
    public Webhook upsert(UUID tenantId, String url, String secretCiphertext, Instant now) {
        String sql = "INSERT INTO budget_webhooks (tenant_id, url, secret_ciphertext, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET url = EXCLUDED.url, "
                + "secret_ciphertext = EXCLUDED.secret_ciphertext, updated_at = EXCLUDED.updated_at "
                + "RETURNING created_at";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, tenantId);
            q.setString(2, url);
            q.setString(3, secretCiphertext);
            q.setTimestamp(4, Timestamp.from(now));
            q.setTimestamp(5, Timestamp.from(now));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new Webhook(tenantId, url, secretCiphertext, rs.getTimestamp(1).toInstant(), now);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store webhook: " + e.getMessage(), e);
        }
    }

    public Optional<Webhook> find(UUID tenantId) {
        String sql = "SELECT url, secret_ciphertext, created_at, updated_at FROM budget_webhooks WHERE tenant_id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, tenantId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Webhook(tenantId, rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read webhook: " + e.getMessage(), e);
        }
    }

    public boolean delete(UUID tenantId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("DELETE FROM budget_webhooks WHERE tenant_id = ?")) {
            q.setObject(1, tenantId);
            return q.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete webhook: " + e.getMessage(), e);
        }
    }
}
