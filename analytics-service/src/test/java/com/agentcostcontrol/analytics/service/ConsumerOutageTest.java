package com.agentcostcontrol.analytics.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.analytics.Ledger;
import com.agentcostcontrol.analytics.OutageProfile;
import com.agentcostcontrol.analytics.UsageEventBuilder;
import com.agentcostcontrol.testing.DependencyOutageEnvironment;
import com.agentcostcontrol.testing.DependencyProxy;
import com.agentcostcontrol.testing.ToggleableTcpProxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The consumer rides out a Postgres or Redis outage: nothing is lost or stored twice, and it goes on by
 * itself once the dependency is back (the service reaches both through toggleable TCP proxies).
 */
@QuarkusTest
@TestProfile(OutageProfile.class)
class ConsumerOutageTest {

    /** Under an outage every attempt waits out a 2 s connect/acquire timeout: allow for several. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    @DependencyProxy(DependencyOutageEnvironment.POSTGRES)
    ToggleableTcpProxy postgres;
    @DependencyProxy(DependencyOutageEnvironment.REDIS)
    ToggleableTcpProxy redis;

    @Inject
    Ledger ledger;
    @Inject
    MeterRegistry metrics;
    @Inject
    RedisDataSource redisData;

    @AfterEach
    void reconnect() {
        postgres.enable();
        redis.enable();
    }

    @Test
    void eventsReadWhilePostgresIsDownAreStoredOnceWhenItReturns() {
        UUID tenant = UUID.randomUUID();
        double failedBefore = failed();
        postgres.disable();
        List<UsageEventBuilder> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UsageEventBuilder e = UsageEventBuilder.call(tenant).cost(1_000L + i);
            events.add(e);
            ledger.xadd(e);
        }
        // Delivered to the group, each insert failed (counted), and all five wait unacknowledged.
        Ledger.eventually(WAIT, "the consumer fails to store all five and leaves them pending",
                () -> failed() >= failedBefore + 5 && pending() == 5);

        postgres.enable();
        Ledger.eventually(WAIT, "all five are stored once Postgres is back", () -> rows(tenant) == 5);
        Ledger.eventually(WAIT, "and acknowledged", () -> pending() == 0);
        for (UsageEventBuilder e : events) {
            assertEquals(1, ledger.rowsOfRequest(e.requestId()));
        }
    }

    @Test
    void theConsumerResumesAfterRedisReturns() {
        redis.disable();
        // Long enough for the blocked read to fail and a few retries to back off.
        sleep(3_000);
        redis.enable();
        UUID tenant = UUID.randomUUID();
        UsageEventBuilder e = UsageEventBuilder.call(tenant);
        awaitRedis(() -> ledger.xadd(e));
        Ledger.eventually(WAIT, "an event added after the outage is stored", () -> rows(tenant) == 1);
    }

    @Test
    void theGroupIsCreatedAgainWhenRedisLostTheStream() {
        awaitRedis(() -> redisData.key().del(Ledger.STREAM));
        UUID tenant = UUID.randomUUID();
        UsageEventBuilder e = UsageEventBuilder.call(tenant);
        ledger.xadd(e);
        Ledger.eventually(WAIT, "the consumer recreates its group and stores the event",
                () -> rows(tenant) == 1);
    }

    /** Rows of the tenant; 0 while the test's own Postgres connection is still recovering. */
    private long rows(UUID tenant) {
        try {
            return ledger.rowsOfTenant(tenant);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private long pending() {
        try {
            return redisData.stream(String.class, String.class, String.class)
                    .xpending(Ledger.STREAM, "analytics-service").getPendingCount();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private double failed() {
        return metrics.get("acc.analytics.usage.failed").counter().count();
    }

    /** Retries a Redis call until the client has reconnected. */
    private static void awaitRedis(Runnable call) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                call.run();
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(200);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
