package com.agentcostcontrol.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Test profile that starts the service with {@link DependencyOutageEnvironment} instead of the
 * module's global {@link AccTestEnvironment}, so only the tests that use this profile talk to
 * Postgres and Redis through toggleable proxies. Subclass it in the module with the module's
 * database name and Redis db (the same values its {@code HealthTest} gives AccTestEnvironment):
 * <pre>
 * public static class Outage extends DependencyOutageProfile {
 *     public Outage() { super("acc_test_router", 3); }
 * }
 * </pre>
 * Global test resources are off under this profile; a module whose service needs another resource to
 * start (a WireMock upstream, say) overrides {@link #testResources()} and adds it to {@code super}'s list.
 */
public abstract class DependencyOutageProfile implements QuarkusTestProfile {

    private final String database;
    private final int redisDb;

    protected DependencyOutageProfile(String database, int redisDb) {
        this.database = database;
        this.redisDb = redisDb;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DependencyOutageEnvironment.class,
                Map.of("db", database, "redisDb", String.valueOf(redisDb))));
    }

    /** The module's global AccTestEnvironment would point the service straight at the servers. */
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
