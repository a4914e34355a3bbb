package com.agentcostcontrol.router.routing.health;

import static com.agentcostcontrol.router.routing.health.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.router.pricing.PriceCatalog;
import com.agentcostcontrol.router.routing.BuiltinDeployments;
import com.agentcostcontrol.router.routing.Deployment;
import com.agentcostcontrol.router.routing.PlanRequest;
import com.agentcostcontrol.router.routing.PlannerSettings;
import com.agentcostcontrol.router.routing.Route;
import com.agentcostcontrol.router.routing.RoutePlan;
import com.agentcostcontrol.router.routing.RoutePlanner;
import com.agentcostcontrol.router.routing.RoutingSnapshot;
import com.agentcostcontrol.router.routing.Strategy;

/**
 * The planner's cached view of shared health, on a real Redis: one proxy trips a deployment, the
 * other proxy's planner moves it to the end of its plans within the view's TTL, and back after recovery.
 */
class HealthViewTest {

    private static final HealthSettings SETTINGS = HealthSettings.defaults()
            .withCooldown(Duration.ofMillis(400), 2.0, Duration.ofSeconds(5));

    private static TestRedis redisA;
    private static TestRedis redisB;

    @BeforeAll
    static void connect() {
        redisA = new TestRedis();
        redisB = new TestRedis();
    }

    @AfterAll
    static void close() {
        redisA.close();
        redisB.close();
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aCooldownRecordedByOneProxyReordersTheOtherProxysPlans() throws InterruptedException {
        String suffix = UUID.randomUUID().toString();
        Deployment a = new Deployment("a-" + suffix, null, "a", "openai", "gpt-x", null, null, 1, 60_000, true);
        Deployment b = new Deployment("b-" + suffix, null, "b", "openai", "gpt-x", null, null, 1, 60_000, true);
        RoutingSnapshot snapshot = RoutingSnapshot.of(List.of(a, b),
                List.of(new Route("r", null, "m", Strategy.PRIORITY, List.of("a", "b"), List.of())), List.of());

        DeploymentHealth proxyA = new DeploymentHealth(redisA.executor, SETTINGS);
        DeploymentHealth proxyB = new DeploymentHealth(redisB.executor, SETTINGS);
        HealthView viewA = new HealthView(proxyA, Duration.ofMillis(100));
        HealthView viewB = new HealthView(proxyB, Duration.ofMillis(100));
        RoutePlanner plannerB = new RoutePlanner(() -> snapshot, PriceCatalog::empty, BuiltinDeployments.NONE, viewB,
                PlannerSettings.defaults());
        PlanRequest request = PlanRequest.builder(null, "m").build();

        assertEquals(List.of(a.id(), b.id()), ids(plannerB.plan(request)));

        for (int i = 0; i < 3; i++) {
            await(proxyA.recordFailure(a.id(), FailureKind.SERVER_ERROR, RateLimitInfo.NONE));
        }
        // proxy A's own view knows at once (its recording updated it) ...
        assertEquals(HealthState.COOLING_DOWN, viewA.status(a.id()).state(Instant.now()));
        // ... proxy B's view within its TTL, in the background
        awaitTrue("B plans a last", () -> ids(plannerB.plan(request)).equals(List.of(b.id(), a.id())));
        RoutePlan demoted = plannerB.plan(request);
        assertEquals(HealthState.COOLING_DOWN, demoted.attempts().get(1).health());
        assertTrue(demoted.attempts().get(1).reason().contains("moved to the end: cooling down until"),
                demoted.attempts().get(1).reason());

        // after the cooldown: half-open, back in first place as a probe
        awaitTrue("B probes a first", () -> {
            RoutePlan p = plannerB.plan(request);
            return p.attempts().get(0).deploymentId().equals(a.id()) && p.attempts().get(0).probe();
        });
        HealthUpdate probe = await(proxyB.tryAcquireProbe(a.id(), Duration.ofSeconds(10)));
        assertEquals(HealthUpdate.Result.GRANTED, probe.result());
        // B's view learnt of its own probe: no other request of B's is sent to a meanwhile
        RoutePlan whileProbing = plannerB.plan(request);
        assertEquals(List.of(b.id(), a.id()), ids(whileProbing));
        assertTrue(whileProbing.attempts().get(1).reason().contains("another caller is probing"));

        await(proxyB.recordSuccess(a.id(), Duration.ofMillis(120), RateLimitInfo.NONE));
        RoutePlan recovered = plannerB.plan(request);
        assertEquals(List.of(a.id(), b.id()), ids(recovered));
        assertEquals(HealthState.HEALTHY, recovered.attempts().get(0).health());
        awaitTrue("A's view sees the recovery", () -> viewA.status(a.id()).state(Instant.now()) == HealthState.HEALTHY);
    }

    @Test
    void anUnreachableRedisLeavesTheLastKnownStatusInPlace() throws InterruptedException {
        String id = "dep-" + UUID.randomUUID();
        TestRedis lost = new TestRedis();
        DeploymentHealth health = new DeploymentHealth(lost.executor, SETTINGS.withCooldown(Duration.ofSeconds(30), 2.0,
                Duration.ofMinutes(1)));
        HealthView view = new HealthView(health, Duration.ofMillis(50), Duration.ofMillis(500));
        for (int i = 0; i < 3; i++) {
            await(health.recordFailure(id, FailureKind.SERVER_ERROR, RateLimitInfo.NONE));
        }
        assertEquals(HealthState.COOLING_DOWN, view.status(id).state(Instant.now()));
        lost.close();
        Thread.sleep(150);
        for (int i = 0; i < 5; i++) {
            // each call past the TTL starts a refresh that fails; the known status stays
            assertEquals(HealthState.COOLING_DOWN, view.status(id).state(Instant.now()));
            Thread.sleep(60);
        }
        // an id never seen is reported healthy (unknown) rather than blocking
        assertEquals(HealthState.HEALTHY, view.status("never-seen").state(Instant.now()));
    }

    private static List<String> ids(RoutePlan plan) {
        return plan.attempts().stream().map(RoutePlan.Attempt::deploymentId).toList();
    }
}
