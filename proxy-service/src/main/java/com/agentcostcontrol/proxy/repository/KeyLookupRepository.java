package com.agentcostcontrol.proxy.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.AuthenticatedKey;

/**
 * Read-side queries of the key check, in plain JDBC: they run on the hot path's cache misses
 * (off the event loop) and need no ORM session or transaction.
 */
@ApplicationScoped
public class KeyLookupRepository {

    /** A stored key with its tenant's status, before the accept/refuse decision. */
    public record StoredKey(AuthenticatedKey key, Instant revokedAt, String tenantStatus) {
    }

    /** A row changed since the last poll: the key id (or null) and its tenant. */
    public record Change(UUID keyId, UUID tenantId, Instant updatedAt) {
    }

    private static final String BY_HASH = """
            SELECT k.id, k.tenant_id, k.name, k.prefix, k.scopes, k.allowed_models, k.rpm_limit, k.tpm_limit,
                   k.expires_at, k.revoked_at, t.status, k.max_concurrent, t.rpm_limit, t.tpm_limit, t.max_concurrent
              FROM virtual_keys k JOIN tenants t ON t.id = k.tenant_id
             WHERE k.key_hash = ?""";

    private static final String CHANGED_SINCE = """
            SELECT id, tenant_id, updated_at FROM virtual_keys WHERE updated_at > ?
            UNION ALL
            SELECT NULL, id, updated_at FROM tenants WHERE updated_at > ?""";

    private final DataSource dataSource;

    public KeyLookupRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<StoredKey> findByHash(String keyHash) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(BY_HASH)) {
            q.setString(1, keyHash);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                AuthenticatedKey key = new AuthenticatedKey(
                        rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                        new HashSet<>(strings(rs.getArray(5))), strings(rs.getArray(6)),
                        (Integer) rs.getObject(7), (Integer) rs.getObject(8), instant(rs.getTimestamp(9)),
                        (Integer) rs.getObject(12), new AuthenticatedKey.TenantLimits((Integer) rs.getObject(13),
                                (Integer) rs.getObject(14), (Integer) rs.getObject(15)));
                return Optional.of(new StoredKey(key, instant(rs.getTimestamp(10)), rs.getString(11)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("key lookup failed: " + e.getMessage(), e);
        }
    }

    /** Keys and tenants updated after {@code since} (revocations, suspensions, edits). */
    public List<Change> changedSince(Instant since) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(CHANGED_SINCE)) {
            Timestamp ts = Timestamp.from(since);
            q.setTimestamp(1, ts);
            q.setTimestamp(2, ts);
            List<Change> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getTimestamp(3).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("key change poll failed: " + e.getMessage(), e);
        }
    }

    /** The database's clock, so poll watermarks never depend on this host's clock. */
    public Instant databaseNow() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT now()");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read database time: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
