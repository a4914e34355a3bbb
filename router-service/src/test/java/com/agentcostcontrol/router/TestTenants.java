package com.agentcostcontrol.router;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

/** Tenants rows for tests; the table belongs to proxy-service, so router-service never writes it. */
final class TestTenants {

    private TestTenants() {
    }

    static String create(DataSource ds, String name) {
        UUID id = UUID.randomUUID();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO tenants (id, name) VALUES (?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id.toString();
    }

    static String column(DataSource ds, String sql, String id) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, UUID.fromString(id));
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
