package com.agentcostcontrol.router.routing.health;

import static com.agentcostcontrol.router.routing.health.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.router.pricing.PriceCatalog;
import com.agentcostcontrol.router.routing.AttemptRecorder;
import com.agentcostcontrol.router.routing.BuiltinDeployments;
import com.agentcostcontrol.router.routing.Deployment;
import com.agentcostcontrol.router.routing.PlanRequest;
import com.agentcostcontrol.router.routing.PlannerSettings;
import com.agentcostcontrol.router.routing.Route;
import com.agentcostcontrol.router.routing.RoutePlan;
import com.agentcostcontrol.router.routing.RoutePlanner;
import com.agentcostcontrol.router.routing.RoutingSnapshot;
import com.agentcostcontrol.router.routing.Strategy;

/** Executing a plan the way the proxy will: probe gate, outcomes, latency and headers, on a real Redis. */
class AttemptRecorderTest {

    private static TestRedis redis;

    @BeforeAll
    static void connect() {
        redis = new TestRedis();
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @Test
    void executesAPlanRecordingEveryOutcome() throws InterruptedException {
        String suffix = UUID.randomUUID().toString();
        Deployment a = new Deployment("a-" + suffix, null, "a", "openai", "gpt-x", null, null, 1, 2_000, true);
        Deployment b = new Deployment("b-" + suffix, null, "b", "openai", "gpt-x", null, null, 1, 2_000, true);
        RoutingSnapshot snapshot = RoutingSnapshot.of(List.of(a, b),
                List.of(new Route("r", null, "m", Strategy.LOWEST_LATENCY, List.of("a", "b"), List.of())), List.of());
        DeploymentHealth health = new DeploymentHealth(redis.executor,
                HealthSettings.defaults().withFailureThreshold(1).withCooldown(Duration.ofMillis(300), 2.0, Duration.ofSeconds(5)));
        HealthView view = new HealthView(health, Duration.ofMillis(100));
        RoutePlanner planner = new RoutePlanner(() -> snapshot, PriceCatalog::empty, BuiltinDeployments.NONE, view,
                PlannerSettings.defaults());
        AttemptRecorder recorder = new AttemptRecorder(planner, health);
        PlanRequest request = PlanRequest.builder(null, "m").build();

        // a answers 429 with Retry-After; b answers fast
        RoutePlan first = planner.plan(request);
        RoutePlan.Attempt attemptA = first.attempts().get(0);
        assertEquals(a.id(), attemptA.deploymentId());
        assertTrue(await(recorder.gate(attemptA)).mayCall());
        HealthUpdate limited = await(recorder.failed(attemptA, FailureKind.RATE_LIMITED,
                RateLimitHeaders.parse(name -> name.equals("retry-after") ? "1" : null, Instant.now())));
        assertEquals(HealthUpdate.Result.OPENED, limited.result());
        RoutePlan.Attempt attemptB = first.attempts().get(1);
        assertEquals(HealthUpdate.Result.RECORDED, await(recorder.succeeded(attemptB, Duration.ofMillis(40),
                RateLimitHeaders.parse(name -> name.equals("x-ratelimit-remaining-requests") ? "900" : null, Instant.now())))
                .result());
        assertEquals(40.0, planner.latency().ewmaMillis(b.id()).getAsDouble(), 0.001);

        // the next plan puts b first (measured, a cooling down) without waiting for a refresh
        RoutePlan second = planner.plan(request);
        assertEquals(List.of(b.id(), a.id()), second.attempts().stream().map(RoutePlan.Attempt::deploymentId).toList());

        // after the Retry-After a is half-open: one probe; a second caller skips it
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        RoutePlan.Attempt probe = null;
        while (probe == null && System.nanoTime() < deadline) {
            probe = planner.plan(request).attempts().stream().filter(RoutePlan.Attempt::probe).findFirst().orElse(null);
            Thread.sleep(20);
        }
        assertEquals(a.id(), probe.deploymentId());
        assertTrue(await(recorder.gate(probe)).mayCall());
        Instant beforeBusy = Instant.now();
        AttemptRecorder.Gate busy = await(recorder.gate(probe));
        assertFalse(busy.mayCall(), "only one probe at a time");
        // the busy caller learns when the probe's lease (the attempt's 2 s timeout) ends
        assertTrue(busy.freeAt() != null && busy.freeAt().isAfter(beforeBusy.plusMillis(1_500))
                && busy.freeAt().isBefore(beforeBusy.plusMillis(2_500)), "probe lease end: " + busy.freeAt());
        assertFalse(await(recorder.gate(probe)).mayCall(), "only one probe at a time");
        assertEquals(HealthUpdate.Result.RELEASED, await(recorder.abandoned(probe)).result());
        assertTrue(await(recorder.gate(probe)).mayCall());
        assertEquals(HealthUpdate.Result.CLOSED, await(recorder.succeeded(probe, Duration.ofMillis(30), RateLimitInfo.NONE)).result());
        assertEquals(HealthState.HEALTHY, view.status(a.id()).state(Instant.now()));

        // health never fails a call: with Redis gone, probes pass and outcomes are dropped quietly
        TestRedis gone = new TestRedis();
        DeploymentHealth lost = new DeploymentHealth(gone.executor, HealthSettings.defaults());
        gone.close();
        AttemptRecorder offline = new AttemptRecorder(planner, lost);
        RoutePlan.Attempt fakeProbe = new RoutePlan.Attempt(0, a, "m", 0, probe.format(), true, HealthState.HALF_OPEN, null, "r");
        assertTrue(await(offline.gate(fakeProbe)).mayCall());
        assertNull(await(offline.failed(fakeProbe, FailureKind.TIMEOUT, RateLimitInfo.NONE)));
    }
}
