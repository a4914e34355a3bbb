package com.agentcostcontrol.proxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.KeyCheck;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class KeyAuthenticatorTest {

    @Inject
    KeyAuthenticator authenticator;
    @Inject
    KeyInvalidation invalidation;
    @Inject
    DataSource dataSource;
    @Inject
    RedisDataSource redis;

    @Test
    void acceptsAKeyStoredOnlyAsItsHash() throws SQLException {
        Issued issued = issue("active", null);
        KeyCheck check = authenticator.checkBlocking(issued.key);
        KeyCheck.Accepted accepted = assertInstanceOf(KeyCheck.Accepted.class, check);
        assertEquals(issued.keyId, accepted.key().keyId());
        assertEquals(issued.tenantId, accepted.key().tenantId());
        assertTrue(accepted.key().hasScope("llm"));

        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT * FROM virtual_keys WHERE id = ?")) {
            q.setObject(1, issued.keyId);
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next());
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    String text = v instanceof java.sql.Array a ? String.join(",", (String[]) a.getArray()) : String.valueOf(v);
                    assertFalse(text.contains(issued.key.substring(7)), "column " + rs.getMetaData().getColumnName(i)
                            + " holds the key's secret");
                }
                assertEquals(KeyCodec.hash(issued.key), rs.getString("key_hash"));
            }
        }
    }

    @Test
    void refusesUnknownAndMalformedKeys() {
        assertEquals(401, refusal(authenticator.checkBlocking(KeyCodec.newKey())).status());
        assertEquals(401, refusal(authenticator.checkBlocking("sk-not-ours")).status());
        assertEquals(401, refusal(authenticator.checkBlocking(null)).status());
    }

    @Test
    void revocationReachesTheCacheThroughPubSubAtOnce() throws SQLException {
        Issued issued = issue("active", null);
        assertInstanceOf(KeyCheck.Accepted.class, authenticator.checkBlocking(issued.key));
        revokeInDatabase(issued.keyId);
        // Another instance's cache learns of it from the Redis message alone.
        redis.pubsub(String.class).publish(KeyInvalidation.CHANNEL, "key:" + issued.keyId);
        awaitRefused(issued.key, Duration.ofMillis(500));
    }

    @Test
    void revocationReachesTheCacheThroughThePollWhenNoMessageComes() throws SQLException {
        Issued issued = issue("active", null);
        assertInstanceOf(KeyCheck.Accepted.class, authenticator.checkBlocking(issued.key));
        revokeInDatabase(issued.keyId);
        long start = System.nanoTime();
        awaitRefused(issued.key, Duration.ofMillis(2500));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs <= 2500, "revocation took " + tookMs + " ms");
    }

    @Test
    void suspendedTenantGets402AndReactivationRestoresAccess() throws SQLException {
        Issued issued = issue("suspended", null);
        KeyCheck.Refused refused = refusal(authenticator.checkBlocking(issued.key));
        assertEquals(402, refused.status());
        assertEquals("tenant_suspended", refused.code());

        execute("UPDATE tenants SET status = 'active', updated_at = now() WHERE id = ?", issued.tenantId);
        invalidation.tenantChanged(issued.tenantId);
        assertInstanceOf(KeyCheck.Accepted.class, authenticator.checkBlocking(issued.key));
    }

    @Test
    void expiredKeyIsRefusedEvenWhenCached() throws SQLException {
        Issued issued = issue("active", Instant.now().plusMillis(300));
        assertInstanceOf(KeyCheck.Accepted.class, authenticator.checkBlocking(issued.key));
        awaitRefused(issued.key, Duration.ofSeconds(2));
        assertEquals("expired_api_key", refusal(authenticator.checkBlocking(issued.key)).code());
    }

    @Test
    void nonBlockingCheckAnswersTheSame() throws SQLException {
        Issued issued = issue("active", null);
        KeyCheck check = authenticator.check(issued.key).await().atMost(Duration.ofSeconds(5));
        assertEquals(issued.keyId, assertInstanceOf(KeyCheck.Accepted.class, check).key().keyId());
    }

    // --- helpers -----------------------------------------------------------------------------

    record Issued(String key, UUID keyId, UUID tenantId) {
    }

    private Issued issue(String tenantStatus, Instant expiresAt) throws SQLException {
        UUID tenantId = UUID.randomUUID();
        UUID keyId = UUID.randomUUID();
        String key = KeyCodec.newKey();
        execute("INSERT INTO tenants (id, name, status) VALUES (?, 'acme', '" + tenantStatus + "')", tenantId);
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO virtual_keys (id, tenant_id, name, key_hash, prefix, scopes, expires_at) "
                        + "VALUES (?, ?, 'ci', ?, ?, ARRAY['llm'], ?)")) {
            q.setObject(1, keyId);
            q.setObject(2, tenantId);
            q.setString(3, KeyCodec.hash(key));
            q.setString(4, KeyCodec.displayPrefix(key));
            q.setTimestamp(5, expiresAt == null ? null : Timestamp.from(expiresAt));
            q.executeUpdate();
        }
        return new Issued(key, keyId, tenantId);
    }

    private void revokeInDatabase(UUID keyId) throws SQLException {
        execute("UPDATE virtual_keys SET revoked_at = now(), updated_at = now() WHERE id = ?", keyId);
    }

    private void execute(String sql, UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, id);
            q.executeUpdate();
        }
    }

    private void awaitRefused(String key, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (authenticator.checkBlocking(key) instanceof KeyCheck.Refused) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("key still accepted after " + within.toMillis() + " ms");
    }

    private static KeyCheck.Refused refusal(KeyCheck check) {
        return assertInstanceOf(KeyCheck.Refused.class, check);
    }
}
