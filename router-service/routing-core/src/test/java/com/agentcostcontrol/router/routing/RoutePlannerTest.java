package com.agentcostcontrol.router.routing;

import static com.agentcostcontrol.router.routing.Fixtures.CATALOG;
import static com.agentcostcontrol.router.routing.Fixtures.TENANT_A;
import static com.agentcostcontrol.router.routing.Fixtures.TENANT_B;
import static com.agentcostcontrol.router.routing.Fixtures.disabled;
import static com.agentcostcontrol.router.routing.Fixtures.op;
import static com.agentcostcontrol.router.routing.Fixtures.route;
import static com.agentcostcontrol.router.routing.Fixtures.rule;
import static com.agentcostcontrol.router.routing.Fixtures.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.agentcostcontrol.router.pricing.Capability;
import com.agentcostcontrol.router.routing.RoutePlan.Attempt;
import com.agentcostcontrol.router.routing.RoutePlan.Skipped;
import com.agentcostcontrol.router.routing.health.DeploymentStatus;
import com.agentcostcontrol.router.routing.health.HealthSource;
import com.agentcostcontrol.router.routing.health.HealthState;

class RoutePlannerTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final PlannerSettings SETTINGS = PlannerSettings.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    private static final BuiltinDeployments BUILTINS = BuiltinDeployments.fromCatalog(() -> CATALOG,
            Set.of("mock", "openai", "anthropic"), 60_000);

    private static RoutePlanner planner(Fixtures.Tables tables) {
        return planner(tables, HealthSource.NONE, SETTINGS);
    }

    private static RoutePlanner planner(Fixtures.Tables tables, HealthSource health, PlannerSettings settings) {
        RoutingSnapshot snapshot = tables.snapshot();
        return new RoutePlanner(() -> snapshot, () -> CATALOG, BUILTINS, health, settings, () -> new Random(42));
    }

    private static PlanRequest.Builder request(String tenant, String model) {
        return PlanRequest.builder(tenant, model).estimatedInputTokens(1_000).maxOutputTokens(1_000);
    }

    private static List<String> ids(RoutePlan plan) {
        return plan.attempts().stream().map(Attempt::deploymentId).toList();
    }

    private static String skipReason(RoutePlan plan, String deploymentName) {
        return plan.skipped().stream().filter(s -> deploymentName.equals(s.deploymentName())).map(Skipped::reason)
                .findFirst().orElseThrow(() -> new AssertionError(deploymentName + " not skipped: " + plan.skipped()));
    }

    // ---- strategies, table-driven ----------------------------------------------------------------

    static Stream<Arguments> strategies() {
        return Stream.of(
                // priority: the route's order
                Arguments.of(Strategy.PRIORITY, List.of("op-a", "op-b", "op-c"), "operator route m, priority: position 1 of 3"),
                // lowest-cost: cheapest worst case first: mini 0.00075 < deepseek 0.00137 < gpt-4o 0.0125
                Arguments.of(Strategy.LOWEST_COST, List.of("op-b", "op-c", "op-a"),
                        "operator route m, lowest-cost: worst case $0.000750, rank 1 of 3"),
                // lowest-latency with nothing measured: route order, each "not measured yet"
                Arguments.of(Strategy.LOWEST_LATENCY, List.of("op-a", "op-b", "op-c"),
                        "operator route m, lowest-latency: latency not measured yet (tried early to measure it), rank 1 of 3"));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void ordersDeploymentsByStrategy(Strategy strategy, List<String> expected, String firstReason) {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("a", "openai", "gpt-4o"), op("b", "openai", "gpt-4o-mini"), op("c", "openai-compatible", "deepseek/deepseek-chat"))
                .add(route("m", strategy, "a", "b", "c"));
        RoutePlan plan = planner(t).plan(request(null, "m").build());
        assertEquals(expected, ids(plan));
        assertEquals(firstReason, plan.attempts().get(0).reason());
        assertEquals(strategy, plan.strategy());
        assertEquals(RoutePlan.Source.OPERATOR_ROUTE, plan.source());
        assertEquals(List.of(0, 1, 2), plan.attempts().stream().map(Attempt::index).toList());
    }

    @Test
    void lowestCostReportsEachWorstCaseAndPutsUnpricedLast() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("local", "openai-compatible", "llama-3-70b-local"), op("a", "openai", "gpt-4o"),
                        op("s", "anthropic", "claude-sonnet-4-5"))
                .add(route("m", Strategy.LOWEST_COST, "local", "a", "s"));
        RoutePlan plan = planner(t).plan(request(null, "m").build());
        assertEquals(List.of("op-a", "op-s", "op-local"), ids(plan));
        // gpt-4o: 1,000 x 0.0000025 + 1,000 x 0.00001; claude: input at the 1-hour write rate 2 x 0.000003
        assertEquals(new BigDecimal("0.0125"), plan.attempts().get(0).worstCaseUsd().stripTrailingZeros());
        assertEquals(new BigDecimal("0.021"), plan.attempts().get(1).worstCaseUsd().stripTrailingZeros());
        assertNull(plan.attempts().get(2).worstCaseUsd());
        assertTrue(plan.attempts().get(2).reason().contains("no price (ordered last), rank 3 of 3 (model llama-3-70b-local"
                + " is not in the price catalog: capabilities and context window unchecked)"), plan.attempts().get(2).reason());
        assertEquals(new BigDecimal("0.021"), plan.maxWorstCaseUsd().orElseThrow().stripTrailingZeros());
        assertTrue(plan.hasUnpricedAttempt());
    }

    @Test
    void weightedIsReproducibleWithASeed() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("a", "openai", "gpt-4o", 1), op("b", "openai", "gpt-4o", 3), op("c", "openai", "gpt-4o", 6))
                .add(route("m", Strategy.WEIGHTED, "a", "b", "c"));
        RoutingSnapshot snapshot = t.snapshot();
        Random r1 = new Random(7);
        Random r2 = new Random(7);
        RoutePlanner p1 = new RoutePlanner(() -> snapshot, () -> CATALOG, BUILTINS, HealthSource.NONE, SETTINGS, () -> r1);
        RoutePlanner p2 = new RoutePlanner(() -> snapshot, () -> CATALOG, BUILTINS, HealthSource.NONE, SETTINGS, () -> r2);
        for (int i = 0; i < 50; i++) {
            assertEquals(ids(p1.plan(request(null, "m").build())), ids(p2.plan(request(null, "m").build())));
        }
        RoutePlan plan = p1.plan(request(null, "m").build());
        assertEquals(3, plan.attempts().size());
        assertTrue(plan.attempts().get(0).reason().matches(
                "operator route m, weighted: drawn 1 of 3 with weight \\d of 10 \\(\\d+\\.\\d%\\)"), plan.attempts().get(0).reason());
    }

    // ---- tenants --------------------------------------------------------------------------------

    @Test
    void tenantRouteOverridesTheOperatorRouteOfTheSameModel() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("shared", "openai", "gpt-4o"), op("other", "openai", "gpt-4o-mini"),
                        tenant(TENANT_A, "own", "anthropic", "claude-sonnet-4-5"))
                .add(route("fast", Strategy.PRIORITY, "shared"),
                        // tenant A's route mixes its own deployment and an operator one, by name
                        route(TENANT_A, "fast", Strategy.PRIORITY, List.of("own", "other")));
        RoutePlanner planner = planner(t);

        RoutePlan a = planner.plan(request(TENANT_A, "fast").build());
        assertEquals(List.of("a-own", "op-other"), ids(a));
        assertEquals(RoutePlan.Source.TENANT_ROUTE, a.source());
        assertEquals("tenant route fast, priority: position 1 of 2", a.attempts().get(0).reason());
        assertEquals(WireFormat.ANTHROPIC, a.attempts().get(0).format());
        assertEquals(WireFormat.OPENAI, a.attempts().get(1).format());

        RoutePlan b = planner.plan(request(TENANT_B, "fast").build());
        assertEquals(List.of("op-shared"), ids(b));
        assertEquals(RoutePlan.Source.OPERATOR_ROUTE, b.source());

        assertEquals(List.of("op-shared"), ids(planner.plan(request(null, "fast").build())));
    }

    @Test
    void aTenantsDeploymentNeverServesAnOperatorRouteOrAnotherTenant() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(tenant(TENANT_A, "secret", "openai", "gpt-4o"), op("public", "openai", "gpt-4o-mini"))
                .add(route("m", Strategy.PRIORITY, "secret", "public"));
        RoutePlan b = planner(t).plan(request(TENANT_B, "m").build());
        assertEquals(List.of("op-public"), ids(b));
        assertEquals("route m names deployment 'secret', which does not exist", skipReason(b, "secret"));
        // Even tenant A, through the operator route, does not get its own deployment.
        assertEquals(List.of("op-public"), ids(planner(t).plan(request(TENANT_A, "m").build())));
    }

    // ---- fallbacks ------------------------------------------------------------------------------

    @Test
    void fallbacksFollowThePrimaryDeploymentsInOrderEachExpandedByItsOwnRoute() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("oa1", "openai", "gpt-4o"), op("oa2", "azure-openai", "gpt-4o"),
                        op("an1", "anthropic", "claude-sonnet-4-5"), op("ds", "openai-compatible", "deepseek/deepseek-chat"),
                        op("mini", "openai", "gpt-4o-mini"))
                .add(route(null, "gpt-4o", Strategy.PRIORITY, List.of("oa1", "oa2"), "claude-sonnet-4-5", "mock-small", "unknown-x"),
                        // the fallback's own route orders by cost; its own fallbacks are not followed
                        route(null, "claude-sonnet-4-5", Strategy.LOWEST_COST, List.of("an1", "ds"), "gpt-4o-mini"));
        RoutePlan plan = planner(t).plan(request(null, "gpt-4o").inboundFormat(WireFormat.ANTHROPIC).build());
        assertEquals(List.of("op-oa1", "op-oa2", "op-ds", "op-an1", "builtin:mock:mock-small"), ids(plan));
        assertEquals(List.of(0, 0, 1, 1, 2), plan.attempts().stream().map(Attempt::fallbackIndex).toList());
        assertEquals(List.of("gpt-4o", "gpt-4o", "claude-sonnet-4-5", "claude-sonnet-4-5", "mock-small"),
                plan.attempts().stream().map(Attempt::routeModel).toList());
        assertEquals("fallback 1 of gpt-4o: operator route claude-sonnet-4-5, lowest-cost: worst case $0.001370, rank 1 of 2",
                plan.attempts().get(2).reason());
        assertEquals("fallback 2 of gpt-4o: built-in deployment for mock-small (no route)", plan.attempts().get(4).reason());
        // the mock answers in the client's dialect
        assertEquals(WireFormat.ANTHROPIC, plan.attempts().get(4).format());
        assertEquals("mock", plan.attempts().get(4).provider());
        assertTrue(plan.skipped().contains(new Skipped(null, null, "unknown-x",
                "fallback 3 of gpt-4o: no route and no built-in deployment serves model 'unknown-x'")), plan.skipped().toString());
        assertFalse(ids(plan).contains("op-mini"));
    }

    @Test
    void aModelWithoutRouteResolvesToTheBuiltInDeployments() {
        RoutePlanner planner = planner(new Fixtures.Tables());
        RoutePlan mock = planner.plan(request(TENANT_A, "mock-large").build());
        assertEquals(List.of("builtin:mock:mock-large"), ids(mock));
        assertEquals(RoutePlan.Source.BUILT_IN, mock.source());
        assertNull(mock.strategy());
        assertEquals("built-in deployment for mock-large (no route)", mock.attempts().get(0).reason());

        RoutePlan gpt = planner.plan(request(TENANT_A, "openai/gpt-4o").build());
        assertEquals(List.of("builtin:openai:gpt-4o"), ids(gpt));
        assertEquals("gpt-4o", gpt.attempts().get(0).upstreamModel());

        // deepseek's credentials are not configured: nothing serves it
        RoutePlan none = planner.plan(request(TENANT_A, "deepseek/deepseek-chat").build());
        assertTrue(none.isEmpty());
        assertEquals(RoutePlan.Source.NONE, none.source());
        assertEquals("no route and no built-in deployment serves model 'deepseek/deepseek-chat'",
                none.skipped().get(0).reason());
    }

    // ---- filters --------------------------------------------------------------------------------

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("needs vision: deepseek lacks it",
                        request(null, "m").require(Capability.VISION).build(),
                        List.of("op-big", "op-claude"), Map.of("ds", "model deepseek/deepseek-chat lacks vision")),
                Arguments.of("needs reasoning and vision: only claude has both",
                        request(null, "m").require(Capability.REASONING, Capability.VISION).build(),
                        List.of("op-claude"), Map.of("ds", "model deepseek/deepseek-chat lacks vision, reasoning",
                                "big", "model gpt-4o lacks reasoning")),
                Arguments.of("150k prompt: only claude's 200k window fits",
                        request(null, "m").estimatedInputTokens(150_000).build(),
                        List.of("op-claude"), Map.of(
                                "ds", "context window of deepseek/deepseek-chat is 65,536 tokens, the request needs about 150,000",
                                "big", "context window of gpt-4o is 128,000 tokens, the request needs about 150,000")),
                Arguments.of("cost ceiling $0.01: gpt-4o (0.0125) and claude (0.021) are above",
                        request(null, "m").costCeilingUsd("0.01").build(),
                        List.of("op-ds"), Map.of(
                                "big", "worst case $0.012500 is above the cost ceiling $0.010000",
                                "claude", "worst case $0.021000 is above the cost ceiling $0.010000")),
                Arguments.of("excluded by id and by name",
                        request(null, "m").exclude("op-ds", "claude").build(),
                        List.of("op-big"), Map.of("ds", "excluded by the request", "claude", "excluded by the request")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void skipsDeploymentsThatCannotServeTheRequestAndSaysWhy(String name, PlanRequest request, List<String> expected,
            Map<String, String> reasons) {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("ds", "openai-compatible", "deepseek/deepseek-chat"), op("big", "openai", "gpt-4o"),
                        op("claude", "anthropic", "claude-sonnet-4-5"))
                .add(route("m", Strategy.PRIORITY, "ds", "big", "claude"));
        RoutePlan plan = planner(t).plan(request);
        assertEquals(expected, ids(plan), name);
        reasons.forEach((deployment, reason) -> assertEquals(reason, skipReason(plan, deployment), name));
        assertEquals(reasons.size(), plan.skipped().size(), plan.skipped().toString());
    }

    @Test
    void aCostCeilingSkipsUnpricedModelsDisabledOnesAreNeverPlanned() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("local", "openai-compatible", "llama-local"), disabled(op("off", "openai", "gpt-4o-mini")),
                        op("mini", "openai", "gpt-4o-mini"))
                .add(route("m", Strategy.PRIORITY, "local", "off", "mini"));
        RoutePlan plan = planner(t).plan(request(null, "m").costCeilingUsd("1").build());
        assertEquals(List.of("op-mini"), ids(plan));
        assertEquals("model llama-local has no price, so the cost ceiling $1.000000 cannot be checked",
                skipReason(plan, "local"));
        assertEquals("disabled", skipReason(plan, "off"));
    }

    @Test
    void aDeploymentIsPlannedOnceAndPlansAreCappedAtMaxAttempts() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("a", "openai", "gpt-4o"), op("b", "openai", "gpt-4o"), op("c", "openai", "gpt-4o"))
                .add(route(null, "m", Strategy.PRIORITY, List.of("a", "b"), "n"),
                        route(null, "n", Strategy.PRIORITY, List.of("b", "c")));
        RoutePlan plan = planner(t, HealthSource.NONE, SETTINGS.withMaxAttempts(2)).plan(request(null, "m").build());
        assertEquals(List.of("op-a", "op-b"), ids(plan));
        assertTrue(plan.skipped().contains(new Skipped("op-b", "b", "n", "already planned as an earlier attempt")));
        assertTrue(plan.skipped().contains(new Skipped("op-c", "c", "n", "beyond the plan's limit of 2 attempts")));
    }

    // ---- rules ----------------------------------------------------------------------------------

    private static Fixtures.Tables ruleTables(RoutingRule... rules) {
        return new Fixtures.Tables()
                .add(op("big", "openai", "gpt-4o"), op("mini", "openai", "gpt-4o-mini"),
                        op("claude", "anthropic", "claude-sonnet-4-5"), op("ds", "openai-compatible", "deepseek/deepseek-chat"))
                .add(route("gpt-4o", Strategy.PRIORITY, "big", "mini"), route("cheap", Strategy.PRIORITY, "ds", "mini"),
                        route("claude-sonnet-4-5", Strategy.PRIORITY, "claude"))
                .add(rules);
    }

    static Stream<Arguments> rules() {
        RoutingRule testToCheap = rule("t-test", TENANT_A, 10).task(TaskType.TEST).routeTo("cheap");
        RoutingRule opGptLowestCost = rule("o-cost", null, 1).model("gpt-*").strategy(Strategy.LOWEST_COST);
        RoutingRule opVisionToClaude = rule("o-vision", null, 5).needs(Capability.VISION).routeTo("claude-sonnet-4-5");
        RoutingRule tenantNeedsVision = rule("t-vision", TENANT_A, 1).model("GPT-4O").require(Capability.VISION);
        RoutingRule expensiveToCheap = rule("o-expensive", null, 50).costAbove("0.01").routeTo("cheap");
        return Stream.of(
                Arguments.of("tenant rules run before operator rules; route-to ends evaluation",
                        List.of(opGptLowestCost, testToCheap), request(TENANT_A, "gpt-4o").taskType(TaskType.TEST).build(),
                        "cheap", List.of("op-ds", "op-mini"), List.of("t-test")),
                Arguments.of("another tenant's rules never apply",
                        List.of(opGptLowestCost, testToCheap), request(TENANT_B, "gpt-4o").taskType(TaskType.TEST).build(),
                        "gpt-4o", List.of("op-mini", "op-big"), List.of("o-cost")),
                Arguments.of("task type must match",
                        List.of(testToCheap), request(TENANT_A, "gpt-4o").taskType(TaskType.BUILD).build(),
                        "gpt-4o", List.of("op-big", "op-mini"), List.of()),
                Arguments.of("require-capability feeds later capability rules (case-insensitive glob)",
                        List.of(opVisionToClaude, tenantNeedsVision), request(TENANT_A, "gpt-4o").build(),
                        "claude-sonnet-4-5", List.of("op-claude"), List.of("t-vision", "o-vision")),
                Arguments.of("worst case above the rule's max cost: $0.0125 > $0.01",
                        List.of(expensiveToCheap), request(null, "gpt-4o").build(),
                        "cheap", List.of("op-ds", "op-mini"), List.of("o-expensive")),
                Arguments.of("worst case below the rule's max cost: 100 tokens in and out",
                        List.of(expensiveToCheap), request(null, "gpt-4o").estimatedInputTokens(100).maxOutputTokens(100).build(),
                        "gpt-4o", List.of("op-big", "op-mini"), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rulesRunInOrderBeforeTheStrategy(String name, List<RoutingRule> rules, PlanRequest request, String model,
            List<String> expected, List<String> applied) {
        RoutePlan plan = planner(ruleTables(rules.toArray(RoutingRule[]::new))).plan(request);
        assertEquals(model, plan.model(), name);
        assertEquals(request.model(), plan.requestedModel());
        assertEquals(expected, ids(plan), name);
        assertEquals(applied, plan.rules().stream().map(RoutePlan.AppliedRule::ruleId).toList(), name);
    }

    @Test
    void rulesOfOneOwnerRunByPriorityThenAgeAndTheFirstStrategyWins() {
        RoutePlan plan = planner(ruleTables(
                rule("late", null, 5).createdAt("2025-02-01T00:00:00Z").strategy(Strategy.PRIORITY),
                rule("early", null, 5).createdAt("2025-01-01T00:00:00Z").strategy(Strategy.LOWEST_COST),
                rule("last", null, 9).routeTo("gpt-4o"),
                rule("never", null, 10).require(Capability.VISION)))
                .plan(request(null, "cheap").build());
        assertEquals(List.of("early", "late", "last"), plan.rules().stream().map(RoutePlan.AppliedRule::ruleId).toList());
        assertEquals("strategy lowest-cost", plan.rules().get(0).effect());
        assertEquals("strategy priority (ignored: rule early already set lowest-cost)", plan.rules().get(1).effect());
        assertEquals("every call", plan.rules().get(0).match());
        // route-to gpt-4o, ordered by the rule's strategy: mini is cheaper than gpt-4o
        assertEquals("gpt-4o", plan.model());
        assertEquals(Strategy.LOWEST_COST, plan.strategy());
        assertEquals(List.of("op-mini", "op-big"), ids(plan));
        assertTrue(plan.attempts().get(0).reason().startsWith("operator route gpt-4o, lowest-cost (rule early): "),
                plan.attempts().get(0).reason());
        assertEquals(Set.of(), plan.requiredCapabilities());
    }

    // ---- health ---------------------------------------------------------------------------------

    private static DeploymentStatus cooling(String id, Instant until) {
        return new DeploymentStatus(id, until, "failures", 3, 1, 1, null, "server-error", NOW.minusSeconds(1), null,
                null, 0, null, null, null, null, NOW);
    }

    private static DeploymentStatus halfOpen(String id, Instant probeUntil) {
        return new DeploymentStatus(id, NOW.minusSeconds(1), "failures", 3, 1, 1, probeUntil, "timeout",
                NOW.minusSeconds(10), null, null, 0, null, null, null, null, NOW);
    }

    private static DeploymentStatus limited(String id, long requests, long tokens) {
        return new DeploymentStatus(id, null, null, 0, 0, 0, null, null, null, NOW, 100.0, 5, requests,
                NOW.plusSeconds(20), tokens, NOW.plusSeconds(30), NOW);
    }

    @Test
    void coolingDownDeploymentsMoveToTheEndOfTheWholePlanOrAreSkipped() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("a", "openai", "gpt-4o"), op("b", "openai", "gpt-4o"), op("c", "anthropic", "claude-sonnet-4-5"))
                .add(route(null, "gpt-4o", Strategy.PRIORITY, List.of("a", "b"), "claude-sonnet-4-5"),
                        route("claude-sonnet-4-5", Strategy.PRIORITY, "c"));
        Map<String, DeploymentStatus> states = Map.of("op-a", cooling("op-a", NOW.plusSeconds(30)));
        HealthSource health = id -> states.getOrDefault(id, DeploymentStatus.unknown(id));

        RoutePlan demoted = planner(t, health, SETTINGS).plan(request(null, "gpt-4o").build());
        assertEquals(List.of("op-b", "op-c", "op-a"), ids(demoted));
        assertEquals(HealthState.COOLING_DOWN, demoted.attempts().get(2).health());
        assertEquals("operator route gpt-4o, priority: position 1 of 2; moved to the end: cooling down until "
                + "2025-06-01T12:00:30Z (3 failures in a row, last server-error)", demoted.attempts().get(2).reason());

        RoutePlan skipped = planner(t, health, SETTINGS.withCooledDown(PlannerSettings.CooledDown.SKIP))
                .plan(request(null, "gpt-4o").build());
        assertEquals(List.of("op-b", "op-c"), ids(skipped));
        assertTrue(skipReason(skipped, "a").startsWith("cooling down until 2025-06-01T12:00:30Z"));

        // once the cooldown is over it is half-open: back in place, marked as a probe
        Map<String, DeploymentStatus> later = Map.of("op-a", halfOpen("op-a", null));
        RoutePlan probe = planner(t, id -> later.getOrDefault(id, DeploymentStatus.unknown(id)), SETTINGS)
                .plan(request(null, "gpt-4o").build());
        assertEquals(List.of("op-a", "op-b", "op-c"), ids(probe));
        assertTrue(probe.attempts().get(0).probe());
        assertFalse(probe.attempts().get(1).probe());
        assertTrue(probe.attempts().get(0).reason().endsWith("; half-open: acquire the probe slot before calling (one caller at a time)"));

        // ... unless another caller holds the probe slot
        Map<String, DeploymentStatus> busy = Map.of("op-a", halfOpen("op-a", NOW.plusSeconds(5)));
        RoutePlan probing = planner(t, id -> busy.getOrDefault(id, DeploymentStatus.unknown(id)), SETTINGS)
                .plan(request(null, "gpt-4o").build());
        assertEquals(List.of("op-b", "op-c", "op-a"), ids(probing));
        assertFalse(probing.attempts().get(2).probe());
    }

    @Test
    void aDeploymentAboutToHitItsRateLimitMovesToTheEnd() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("a", "openai", "gpt-4o"), op("b", "openai", "gpt-4o"))
                .add(route("gpt-4o", Strategy.PRIORITY, "a", "b"));
        HealthSource oneRequestLeft = id -> id.equals("op-a") ? limited(id, 1, 1_000_000) : DeploymentStatus.unknown(id);
        RoutePlan plan = planner(t, oneRequestLeft, SETTINGS).plan(request(null, "gpt-4o").build());
        assertEquals(List.of("op-b", "op-a"), ids(plan));
        assertTrue(plan.attempts().get(1).reason().endsWith(
                "; moved to the end: the provider reported 1 requests left until 2025-06-01T12:00:20Z"));

        HealthSource fewTokens = id -> id.equals("op-a") ? limited(id, 500, 1_500) : DeploymentStatus.unknown(id);
        RoutePlan tokens = planner(t, fewTokens, SETTINGS).plan(request(null, "gpt-4o").build());
        assertEquals(List.of("op-b", "op-a"), ids(tokens));
        assertTrue(tokens.attempts().get(1).reason().endsWith("the provider reported 1,500 tokens left until "
                + "2025-06-01T12:00:30Z, this call needs about 2,000"), tokens.attempts().get(1).reason());
        // a small call still fits
        assertEquals(List.of("op-a", "op-b"), ids(planner(t, fewTokens, SETTINGS)
                .plan(request(null, "gpt-4o").estimatedInputTokens(500).maxOutputTokens(500).build())));
        // headroom that has reset no longer counts
        PlannerSettings later = SETTINGS.withClock(Clock.fixed(NOW.plusSeconds(31), ZoneOffset.UTC));
        assertEquals(List.of("op-a", "op-b"), ids(planner(t, oneRequestLeft, later).plan(request(null, "gpt-4o").build())));
    }

    // ---- latency --------------------------------------------------------------------------------

    @Test
    void lowestLatencyPrefersTheFastestEwmaAndFollowsChanges() {
        Fixtures.Tables t = new Fixtures.Tables()
                .add(op("a", "openai", "gpt-4o"), op("b", "openai", "gpt-4o"), op("c", "openai", "gpt-4o"))
                .add(route("m", Strategy.LOWEST_LATENCY, "a", "b", "c"));
        // c is known to all proxies (shared EWMA), a and b only to this one
        HealthSource shared = id -> id.equals("op-c")
                ? new DeploymentStatus(id, null, null, 0, 0, 0, null, null, null, NOW, 250.0, 40, null, null, null, null, NOW)
                : DeploymentStatus.unknown(id);
        RoutePlanner planner = planner(t, shared, SETTINGS);
        // b is unmeasured: tried first to learn its latency
        planner.recordLatency("op-a", Duration.ofMillis(400));
        RoutePlan first = planner.plan(request(null, "m").build());
        assertEquals(List.of("op-b", "op-c", "op-a"), ids(first));
        assertEquals("operator route m, lowest-latency: EWMA latency 250.0 ms (all proxies), rank 2 of 3",
                first.attempts().get(1).reason());

        planner.recordLatency("op-b", Duration.ofMillis(100));
        assertEquals(List.of("op-b", "op-c", "op-a"), ids(planner.plan(request(null, "m").build())));
        // b slows down: 0.3 x 1000 + 0.7 x 100 = 370 -> behind c (250), still ahead of a (400)
        planner.recordLatency("op-b", Duration.ofMillis(1000));
        RoutePlan slower = planner.plan(request(null, "m").build());
        assertEquals(List.of("op-c", "op-b", "op-a"), ids(slower));
        assertEquals("operator route m, lowest-latency: EWMA latency 370.0 ms (this proxy), rank 2 of 3",
                slower.attempts().get(1).reason());
        // a speeds up: 0.3 x 50 + 0.7 x 400 = 295 -> 0.3 x 50 + 0.7 x 295 = 221.5 -> ahead of c
        planner.recordLatency("op-a", Duration.ofMillis(50));
        planner.recordLatency("op-a", Duration.ofMillis(50));
        assertEquals(List.of("op-a", "op-c", "op-b"), ids(planner.plan(request(null, "m").build())));
    }
}
