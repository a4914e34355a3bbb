package com.agentcostcontrol.router.routing.health;

import static com.agentcostcontrol.router.routing.health.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.redis.client.Command;

/**
 * Shared deployment health on a real Redis. Two {@link DeploymentHealth} instances, each with its
 * own Vert.x client, stand for two proxies.
 */
class DeploymentHealthTest {

    /** Short cooldowns so the tests can watch them end; thresholds as in production. */
    private static final HealthSettings SETTINGS = HealthSettings.defaults()
            .withCooldown(Duration.ofMillis(300), 2.0, Duration.ofMillis(1_000));

    private static TestRedis redisA;
    private static TestRedis redisB;
    private static DeploymentHealth proxyA;
    private static DeploymentHealth proxyB;

    @BeforeAll
    static void connect() {
        redisA = new TestRedis();
        redisB = new TestRedis();
        redisA.flushdb();
        proxyA = new DeploymentHealth(redisA.executor, SETTINGS);
        proxyB = new DeploymentHealth(redisB.executor, SETTINGS);
    }

    @AfterAll
    static void close() {
        redisA.close();
        redisB.close();
    }

    private static String newDeployment() {
        return "dep-" + UUID.randomUUID();
    }

    private static HealthUpdate fail(DeploymentHealth h, String id, FailureKind kind) {
        return await(h.recordFailure(id, kind, RateLimitInfo.NONE));
    }

    private static HealthUpdate succeed(DeploymentHealth h, String id, long latencyMs) {
        return await(h.recordSuccess(id, Duration.ofMillis(latencyMs), RateLimitInfo.NONE));
    }

    private static DeploymentStatus status(DeploymentHealth h, String id) {
        return await(h.status(id));
    }

    /** Polls until the deployment is in {@code state}, at most 10 s. */
    private static DeploymentStatus awaitState(DeploymentHealth h, String id, HealthState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            DeploymentStatus s = status(h, id);
            if (s.state(Instant.now()) == state) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " did not become " + state + ": " + s);
            }
            Thread.sleep(20);
        }
    }

    private static long cooldownMillis(DeploymentStatus s) {
        return Duration.between(s.lastFailureAt(), s.cooldownEndsAt()).toMillis();
    }

    @Test
    void failuresRecordedByOneProxyCoolTheDeploymentDownForTheOther() {
        String id = newDeployment();
        DeploymentHealth slowA = new DeploymentHealth(redisA.executor,
                SETTINGS.withCooldown(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(5)));
        assertEquals(HealthUpdate.Result.RECORDED, fail(slowA, id, FailureKind.SERVER_ERROR).result());
        assertEquals(HealthUpdate.Result.RECORDED, fail(slowA, id, FailureKind.TIMEOUT).result());
        DeploymentStatus seenByB = status(proxyB, id);
        assertEquals(HealthState.HEALTHY, seenByB.state(Instant.now()));
        assertEquals(2, seenByB.consecutiveFailures());
        assertEquals("timeout", seenByB.lastFailureKind());

        HealthUpdate third = fail(slowA, id, FailureKind.CONNECTION);
        assertEquals(HealthUpdate.Result.OPENED, third.result());
        assertTrue(third.startedCooldown());
        assertEquals(30_000, cooldownMillis(third.status()));

        seenByB = status(proxyB, id);
        assertEquals(HealthState.COOLING_DOWN, seenByB.state(Instant.now()));
        assertEquals("failures", seenByB.cause());
        assertEquals(1, seenByB.cooldowns());
        assertEquals(third.status().cooldownEndsAt().toEpochMilli(), seenByB.cooldownEndsAt().toEpochMilli(), 50.0);
        // B may not probe while it cools down
        assertEquals(HealthUpdate.Result.COOLING, await(proxyB.tryAcquireProbe(id, null)).result());
        // B's own late failure (a call started before the cooldown) changes nothing
        HealthUpdate straggler = fail(proxyB, id, FailureKind.SERVER_ERROR);
        assertEquals(HealthUpdate.Result.COOLING, straggler.result());
        assertEquals(third.status().cooldownEndsAt().toEpochMilli(), straggler.status().cooldownEndsAt().toEpochMilli(), 50.0);
        // the key expires eventually: idle ttl plus the remaining cooldown
        long pttl = (Long) redisA.command(Command.PTTL, DeploymentHealth.key(id));
        assertTrue(pttl > Duration.ofHours(24).toMillis() && pttl <= Duration.ofHours(24).plusSeconds(30).toMillis(), "pttl " + pttl);
    }

    @Test
    void successesInBetweenAndFailuresOutsideTheWindowDoNotTrip() throws InterruptedException {
        String id = newDeployment();
        fail(proxyA, id, FailureKind.SERVER_ERROR);
        fail(proxyB, id, FailureKind.SERVER_ERROR);
        assertEquals(HealthUpdate.Result.RECORDED, succeed(proxyA, id, 100).result());
        assertEquals(0, status(proxyB, id).consecutiveFailures());
        fail(proxyA, id, FailureKind.SERVER_ERROR);
        fail(proxyB, id, FailureKind.SERVER_ERROR);
        assertEquals(HealthState.HEALTHY, status(proxyA, id).state(Instant.now()));

        DeploymentHealth shortWindow = new DeploymentHealth(redisA.executor, SETTINGS.withFailureWindow(Duration.ofMillis(200)));
        String other = newDeployment();
        fail(shortWindow, other, FailureKind.SERVER_ERROR);
        fail(shortWindow, other, FailureKind.SERVER_ERROR);
        Thread.sleep(300);
        // the run's window has passed: this failure starts a new run of one
        assertEquals(HealthUpdate.Result.RECORDED, fail(shortWindow, other, FailureKind.SERVER_ERROR).result());
        assertEquals(1, status(shortWindow, other).consecutiveFailures());
    }

    @Test
    void contextWindowErrorsSayNothingAboutTheDeployment() {
        String id = newDeployment();
        for (int i = 0; i < 5; i++) {
            assertEquals(HealthUpdate.Result.RECORDED, fail(proxyA, id, FailureKind.CONTEXT_WINDOW).result());
        }
        DeploymentStatus s = status(proxyB, id);
        assertEquals(HealthState.HEALTHY, s.state(Instant.now()));
        assertEquals(0, s.consecutiveFailures());
        assertEquals("context-window", s.lastFailureKind());
    }

    @Test
    void halfOpenLetsExactlyOneProbeThroughUnderConcurrencyThenSuccessCloses() throws Exception {
        String id = newDeployment();
        fail(proxyA, id, FailureKind.SERVER_ERROR);
        fail(proxyA, id, FailureKind.SERVER_ERROR);
        HealthUpdate opened = fail(proxyB, id, FailureKind.SERVER_ERROR);
        assertEquals(HealthUpdate.Result.OPENED, opened.result());
        assertEquals(300, cooldownMillis(opened.status()));
        awaitState(proxyA, id, HealthState.HALF_OPEN);

        // 64 callers on two "proxies" race for the probe slot at the same moment.
        int callers = 64;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HealthUpdate>> attempts = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                DeploymentHealth proxy = i % 2 == 0 ? proxyA : proxyB;
                attempts.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return await(proxy.tryAcquireProbe(id, Duration.ofSeconds(30)));
                }, pool));
            }
            start.countDown();
            Map<HealthUpdate.Result, Long> results = attempts.stream().map(CompletableFuture::join)
                    .collect(Collectors.groupingBy(HealthUpdate::result, Collectors.counting()));
            assertEquals(Map.of(HealthUpdate.Result.GRANTED, 1L, HealthUpdate.Result.BUSY, (long) callers - 1), results);
        } finally {
            pool.shutdownNow();
        }
        DeploymentStatus probing = status(proxyB, id);
        assertEquals(HealthState.HALF_OPEN, probing.state(Instant.now()));
        assertTrue(probing.probeInFlight(Instant.now()));

        HealthUpdate closed = succeed(proxyA, id, 80);
        assertEquals(HealthUpdate.Result.CLOSED, closed.result());
        DeploymentStatus healthy = status(proxyB, id);
        assertEquals(HealthState.HEALTHY, healthy.state(Instant.now()));
        assertNull(healthy.cooldownEndsAt());
        assertEquals(0, healthy.trips());
        assertEquals(0, healthy.consecutiveFailures());
        assertEquals(1, healthy.cooldowns());
        assertFalse(healthy.probeInFlight(Instant.now()));
        // healthy: no probe needed, go ahead
        HealthUpdate go = await(proxyB.tryAcquireProbe(id, null));
        assertEquals(HealthUpdate.Result.CLOSED, go.result());
        assertTrue(go.mayCall());
    }

    @Test
    void aFailedProbeReopensWithExponentiallyLongerCooldownsUpToTheCap() throws InterruptedException {
        String id = newDeployment();
        fail(proxyA, id, FailureKind.SERVER_ERROR);
        fail(proxyA, id, FailureKind.SERVER_ERROR);
        assertEquals(300, cooldownMillis(fail(proxyA, id, FailureKind.SERVER_ERROR).status()));

        long[] expected = { 600, 1_000, 1_000 }; // 300 x 2, 300 x 4 = 1200 capped at 1000, capped
        for (long cooldown : expected) {
            awaitState(proxyB, id, HealthState.HALF_OPEN);
            assertTrue(await(proxyB.tryAcquireProbe(id, null)).mayCall());
            HealthUpdate reopened = fail(proxyB, id, FailureKind.TIMEOUT);
            assertEquals(HealthUpdate.Result.REOPENED, reopened.result());
            assertEquals("probe-failed", reopened.status().cause());
            assertEquals(cooldown, cooldownMillis(reopened.status()));
            assertFalse(reopened.status().probeInFlight(Instant.now()));
        }
        assertEquals(4, status(proxyA, id).cooldowns());
        assertEquals(4, status(proxyA, id).trips());

        // recovery: the next probe succeeds, and the backoff starts over
        awaitState(proxyA, id, HealthState.HALF_OPEN);
        assertEquals(HealthUpdate.Result.GRANTED, await(proxyA.tryAcquireProbe(id, null)).result());
        assertEquals(HealthUpdate.Result.CLOSED, succeed(proxyA, id, 50).result());
        fail(proxyB, id, FailureKind.SERVER_ERROR);
        fail(proxyB, id, FailureKind.SERVER_ERROR);
        assertEquals(300, cooldownMillis(fail(proxyB, id, FailureKind.SERVER_ERROR).status()));
    }

    @Test
    void aProbeWhoseOutcomeIsNeverRecordedFreesItsSlotWhenTheLeaseEnds() throws InterruptedException {
        String id = newDeployment();
        for (int i = 0; i < 3; i++) {
            fail(proxyA, id, FailureKind.SERVER_ERROR);
        }
        awaitState(proxyA, id, HealthState.HALF_OPEN);
        assertEquals(HealthUpdate.Result.GRANTED, await(proxyA.tryAcquireProbe(id, Duration.ofMillis(300))).result());
        assertEquals(HealthUpdate.Result.BUSY, await(proxyB.tryAcquireProbe(id, null)).result());
        Thread.sleep(350);
        // proxy A "crashed": its lease ran out, B may probe
        assertEquals(HealthUpdate.Result.GRANTED, await(proxyB.tryAcquireProbe(id, null)).result());
        // B gives the slot back without calling; A may probe again at once
        assertEquals(HealthUpdate.Result.RELEASED, await(proxyB.releaseProbe(id)).result());
        assertEquals(HealthUpdate.Result.GRANTED, await(proxyA.tryAcquireProbe(id, null)).result());
    }

    @Test
    void retryAfterCoolsTheDeploymentDownUntilThenEvenBelowTheThreshold() throws InterruptedException {
        String id = newDeployment();
        HealthUpdate limited = await(proxyA.recordFailure(id, FailureKind.RATE_LIMITED,
                RateLimitInfo.retryAfter(Duration.ofMillis(1_200))));
        assertEquals(HealthUpdate.Result.OPENED, limited.result());
        assertEquals("retry-after", limited.status().cause());
        assertEquals(1_200, cooldownMillis(limited.status()));
        assertEquals(1, limited.status().consecutiveFailures());
        Instant notBefore = limited.status().cooldownEndsAt();

        assertEquals(HealthState.COOLING_DOWN, status(proxyB, id).state(Instant.now()));
        assertEquals(HealthUpdate.Result.COOLING, await(proxyB.tryAcquireProbe(id, null)).result());
        DeploymentStatus halfOpen = awaitState(proxyB, id, HealthState.HALF_OPEN);
        assertFalse(halfOpen.observedAt().isBefore(notBefore.minusMillis(50)), "half-open before Retry-After ended");
        assertTrue(await(proxyB.tryAcquireProbe(id, null)).mayCall());
        assertEquals(HealthUpdate.Result.CLOSED, succeed(proxyB, id, 90).result());

        // a Retry-After longer than the current cooldown extends it; a shorter one does not shorten it
        String other = newDeployment();
        for (int i = 0; i < 3; i++) {
            fail(proxyA, other, FailureKind.SERVER_ERROR);
        }
        HealthUpdate extended = await(proxyA.recordFailure(other, FailureKind.SERVER_ERROR,
                RateLimitInfo.retryAfter(Duration.ofSeconds(20))));
        assertEquals(20_000, cooldownMillis(extended.status()));
        HealthUpdate shorter = await(proxyB.recordFailure(other, FailureKind.RATE_LIMITED,
                RateLimitInfo.retryAfter(Duration.ofSeconds(1))));
        assertEquals(extended.status().cooldownEndsAt().toEpochMilli(), shorter.status().cooldownEndsAt().toEpochMilli(), 50.0);

        // a bogus day-long Retry-After is capped
        String capped = newDeployment();
        DeploymentHealth cap = new DeploymentHealth(redisA.executor, SETTINGS.withMaxRetryAfter(Duration.ofSeconds(90)));
        HealthUpdate day = await(cap.recordFailure(capped, FailureKind.RATE_LIMITED, RateLimitInfo.retryAfter(Duration.ofDays(1))));
        assertEquals(90_000, cooldownMillis(day.status()));
    }

    @Test
    void rateLimitHeadroomAndLatencyAreSharedAndExpire() throws InterruptedException {
        String id = newDeployment();
        succeed(proxyA, id, 100);
        HealthUpdate second = await(proxyB.recordSuccess(id, Duration.ofMillis(200),
                new RateLimitInfo(3L, Duration.ofMillis(1_500), 12_000L, null, null)));
        DeploymentStatus s = second.status();
        // EWMA: 0.3 x 200 + 0.7 x 100
        assertEquals(130.0, s.ewmaLatencyMs(), 0.001);
        assertEquals(2, s.latencySamples());
        assertNotNull(s.lastSuccessAt());
        DeploymentStatus seenByA = status(proxyA, id);
        Instant now = Instant.now();
        assertEquals(3L, seenByA.remainingRequests(now));
        assertEquals(12_000L, seenByA.remainingTokens(now));
        // no token reset given: trusted for the default 60 s
        assertEquals(60_000, Duration.between(seenByA.lastSuccessAt(), seenByA.tokensResetAt()).toMillis());
        Thread.sleep(1_600);
        DeploymentStatus later = status(proxyA, id);
        assertNull(later.remainingRequests(Instant.now()), "request headroom is stale after its reset");
        assertEquals(12_000L, later.remainingTokens(Instant.now()));
    }

    @Test
    void scriptsAreResentAfterScriptFlush() {
        String id = newDeployment();
        succeed(proxyA, id, 10);
        redisA.command(Command.SCRIPT, "FLUSH");
        assertEquals(HealthUpdate.Result.RECORDED, fail(proxyA, id, FailureKind.SERVER_ERROR).result());
        assertEquals(1, status(proxyB, id).consecutiveFailures());
    }

    @Test
    void statusOfSeveralDeploymentsAndOfAnUnknownOne() {
        String a = newDeployment();
        String b = newDeployment();
        fail(proxyA, a, FailureKind.AUTH);
        Map<String, DeploymentStatus> all = await(proxyB.statuses(List.of(a, b)));
        assertEquals(List.of(a, b), List.copyOf(all.keySet()));
        assertEquals("auth", all.get(a).lastFailureKind());
        DeploymentStatus unknown = all.get(b);
        assertEquals(HealthState.HEALTHY, unknown.state(Instant.now()));
        assertNull(unknown.ewmaLatencyMs());
        assertNull(unknown.lastFailureKind());
        assertEquals(0L, (Long) redisA.command(Command.EXISTS, DeploymentHealth.key(b)), "a read creates no key");
    }
}
