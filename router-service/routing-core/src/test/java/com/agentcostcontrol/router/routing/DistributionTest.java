package com.agentcostcontrol.router.routing;

import static com.agentcostcontrol.router.routing.Fixtures.CATALOG;
import static com.agentcostcontrol.router.routing.Fixtures.op;
import static com.agentcostcontrol.router.routing.Fixtures.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.router.routing.health.DeploymentStatus;
import com.agentcostcontrol.router.routing.health.HealthSource;

/**
 * Statistical behaviour of the strategies over many plans. N = 10,000 and a tolerance of
 * +-2 percentage points: the standard deviation of a share p over N draws is sqrt(p(1-p)/N), at
 * most 0.5 pp, so 2 pp is a 4-sigma band (a false failure about once in 16,000 runs) — and the
 * seed is fixed, so the run is reproducible anyway.
 */
class DistributionTest {

    private static final int N = 10_000;
    private static final double TOLERANCE_PP = 2.0;

    private static RoutePlanner planner(Fixtures.Tables t, HealthSource health, RandomGenerator random) {
        RoutingSnapshot snapshot = t.snapshot();
        return new RoutePlanner(() -> snapshot, () -> CATALOG, BuiltinDeployments.NONE, health, PlannerSettings.defaults(),
                () -> random);
    }

    private static PlanRequest request() {
        return PlanRequest.builder(null, "m").estimatedInputTokens(100).maxOutputTokens(100).build();
    }

    private static Map<String, Integer> firstChoices(RoutePlanner planner, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(planner.plan(request()).attempts().get(0).deploymentId(), 1, Integer::sum);
        }
        return counts;
    }

    private static void assertShare(Map<String, Integer> counts, String id, double expectedPercent) {
        double actual = 100.0 * counts.getOrDefault(id, 0) / N;
        assertTrue(Math.abs(actual - expectedPercent) <= TOLERANCE_PP,
                id + ": " + actual + "% of first attempts, expected " + expectedPercent + "% +- " + TOLERANCE_PP + " pp " + counts);
    }

    @Test
    void weightedFirstChoicesFollowTheConfiguredWeights() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("a", "openai", "gpt-4o", 1), op("b", "openai", "gpt-4o", 3), op("c", "openai", "gpt-4o", 6))
                .add(route("m", Strategy.WEIGHTED, "a", "b", "c"));
        Map<String, Integer> counts = firstChoices(planner(t, HealthSource.NONE, new SplittableRandom(20251201)), N);
        assertShare(counts, "op-a", 10.0);
        assertShare(counts, "op-b", 30.0);
        assertShare(counts, "op-c", 60.0);
    }

    @Test
    void weightedSecondChoicesAreDrawnFromTheRemainingWeights() {
        // After a (weight 1 of 10) is drawn first, b and c share 3:6 of the rest. Overall second
        // place: P(b second) = P(a)P(b|a) + P(c)P(b|c) = 0.1 x 3/9 + 0.6 x 3/4 = 48.33 %.
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("a", "openai", "gpt-4o", 1), op("b", "openai", "gpt-4o", 3), op("c", "openai", "gpt-4o", 6))
                .add(route("m", Strategy.WEIGHTED, "a", "b", "c"));
        RoutePlanner planner = planner(t, HealthSource.NONE, new SplittableRandom(7));
        Map<String, Integer> second = new HashMap<>();
        for (int i = 0; i < N; i++) {
            RoutePlan plan = planner.plan(request());
            assertEquals(3, plan.attempts().size());
            second.merge(plan.attempts().get(1).deploymentId(), 1, Integer::sum);
        }
        assertShare(second, "op-b", 100.0 * (0.1 * 3 / 9 + 0.6 * 3 / 4));
        assertShare(second, "op-a", 100.0 * (0.3 * 1 / 7 + 0.6 * 1 / 4));
        assertShare(second, "op-c", 100.0 * (0.1 * 6 / 9 + 0.3 * 6 / 7));
    }

    @Test
    void weightedSharesAmongHealthyDeploymentsWhenOneCoolsDown() {
        // c (weight 6) cooling down moves to the end: a and b split first place 1:3.
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("a", "openai", "gpt-4o", 1), op("b", "openai", "gpt-4o", 3), op("c", "openai", "gpt-4o", 6))
                .add(route("m", Strategy.WEIGHTED, "a", "b", "c"));
        java.time.Instant far = java.time.Instant.now().plus(Duration.ofHours(1));
        HealthSource cDown = id -> id.equals("op-c")
                ? new DeploymentStatus(id, far, "failures", 3, 1, 1, null, "server-error", null, null, null, 0, null, null,
                        null, null, null)
                : DeploymentStatus.unknown(id);
        RoutePlanner planner = planner(t, cDown, new SplittableRandom(99));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < N; i++) {
            List<RoutePlan.Attempt> attempts = planner.plan(request()).attempts();
            assertEquals("op-c", attempts.get(2).deploymentId());
            counts.merge(attempts.get(0).deploymentId(), 1, Integer::sum);
        }
        assertShare(counts, "op-a", 25.0);
        assertShare(counts, "op-b", 75.0);
    }

    @Test
    void lowestLatencyAlwaysPicksTheFastestAndShiftsWhenLatenciesChange() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("a", "openai", "gpt-4o"), op("b", "openai", "gpt-4o"), op("c", "openai", "gpt-4o"))
                .add(route("m", Strategy.LOWEST_LATENCY, "a", "b", "c"));
        RoutePlanner planner = planner(t, HealthSource.NONE, new SplittableRandom(1));
        planner.recordLatency("op-a", Duration.ofMillis(300));
        planner.recordLatency("op-b", Duration.ofMillis(120));
        planner.recordLatency("op-c", Duration.ofMillis(200));
        assertEquals(Map.of("op-b", 1_000), firstChoices(planner, 1_000));

        // b degrades over a few calls; once its EWMA passes c's 200 ms, c takes every first attempt.
        int calls = 0;
        while (planner.latency().ewmaMillis("op-b").getAsDouble() <= 200.0) {
            planner.recordLatency("op-b", Duration.ofMillis(600));
            calls++;
        }
        assertEquals(1, calls, "0.3 x 600 + 0.7 x 120 = 264 ms after one slow call");
        assertEquals(Map.of("op-c", 1_000), firstChoices(planner, 1_000));
        assertEquals(List.of("op-c", "op-b", "op-a"),
                planner.plan(request()).attempts().stream().map(RoutePlan.Attempt::deploymentId).toList());
    }
}
