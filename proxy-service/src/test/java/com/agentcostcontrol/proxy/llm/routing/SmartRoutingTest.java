package com.agentcostcontrol.proxy.llm.routing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.core.Money;
import com.agentcostcontrol.proxy.llm.LlmTestData;
import com.agentcostcontrol.proxy.llm.budget.BudgetRedis;
import com.agentcostcontrol.proxy.llm.budget.BudgetSnapshot;
import com.agentcostcontrol.router.routing.PlanRequest;
import com.agentcostcontrol.router.routing.RoutePlan;
import com.agentcostcontrol.proxy.llm.UsageEvents;
import com.agentcostcontrol.proxy.llm.routing.StubUpstreams.Hang;
import com.agentcostcontrol.proxy.llm.routing.StubUpstreams.Status;
import com.agentcostcontrol.proxy.llm.routing.StubUpstreams.StreamDiesBeforeFirstByte;
import com.agentcostcontrol.router.routing.health.DeploymentHealth;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The smart router through the real proxy (docs/ROUTING.md section 7), against stub providers
 * ({@link StubUpstreams}, Vert.x HTTP servers): every kind of deployment failure falls back to the
 * next attempt in the planned order, across wire formats too; a Retry-After keeps the failed
 * deployment out of the way of the next calls until it passes; weighted and lowest-latency
 * strategies distribute real calls as configured.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class SmartRoutingTest {

    /** Per-deployment timeout of the hanging stub's deployment. */
    static final int HANG_TIMEOUT_MS = 400;
    /** Weighted distribution: calls made and the tolerance on the 75 % share of a 3:1 route. */
    static final int WEIGHTED_N = 400;
    static final double WEIGHTED_TOLERANCE_PP = 8.0;

    static StubUpstreams stubs;
    static boolean seeded;
    static final Map<String, String> ids = new java.util.concurrent.ConcurrentHashMap<>();

    @Inject
    DataSource dataSource;
    @Inject
    ProxyRouting routing;
    @Inject
    RedisDataSource redis;
    @Inject
    BudgetSnapshot budgets;
    @Inject
    BudgetRedis budgetRedis;

    LlmTestData.Issued key;

    @BeforeAll
    static void startStubs() throws Exception {
        stubs = new StubUpstreams();
    }

    @AfterAll
    static void stopStubs() {
        stubs.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        LlmTestData data = new LlmTestData(dataSource);
        key = data.key();
        if (!seeded) {
            int closed;
            try (ServerSocket s = new ServerSocket(0)) {
                closed = s.getLocalPort();
            }
            // The chaos chain: one deployment per failure kind, then one that answers.
            openAi(data, "sr-429ra", 5000);
            openAi(data, "sr-429", 5000);
            openAi(data, "sr-500", 5000);
            openAi(data, "sr-529", 5000);
            openAi(data, "sr-hang", HANG_TIMEOUT_MS);
            ids.put("sr-closed", data.deployment("sr-closed", "openai", "gpt-4o-mini", "http://127.0.0.1:" + closed + "/v1",
                    "sk-closed", 1, 5000));
            openAi(data, "sr-ok", 5000);
            data.route("sr-chaos", List.of("sr-429ra", "sr-429", "sr-500", "sr-529", "sr-hang", "sr-closed", "sr-ok"),
                    List.of());
            // A stream that dies before its first byte, then a 500, then a good stream.
            openAi(data, "sr-sdie", 5000);
            openAi(data, "sr-s500", 5000);
            openAi(data, "sr-sok", 5000);
            data.route("sr-stream", List.of("sr-sdie", "sr-s500", "sr-sok"), List.of());
            // Cross-format: an OpenAI-format deployment fails, the fallback model is served by Anthropic.
            openAi(data, "sr-xoa", 5000);
            ids.put("sr-xan", data.deployment("sr-xan", "anthropic", "claude-sonnet-4-5", stubs.anthropicBase("sr-xan"),
                    "sk-ant-sr", 1, 5000));
            data.route("sr-cross", List.of("sr-xoa"), List.of("sr-cross-claude"));
            data.route("sr-cross-claude", List.of("sr-xan"), List.of());
            // Retry-After demotion and recovery.
            openAi(data, "sr-ra-bad", 5000);
            openAi(data, "sr-ra-good", 5000);
            data.route("sr-retry-after", List.of("sr-ra-bad", "sr-ra-good"), List.of());
            // The only deployment of a model, half-open while another caller probes it.
            openAi(data, "sr-busy", 5000);
            data.route("sr-busy", List.of("sr-busy"), List.of());
            // Strategies.
            ids.put("sr-w3", data.deployment("sr-w3", "openai", "gpt-4o-mini", stubs.openAiBase("sr-w3"), "sk-w", 3, 5000));
            ids.put("sr-w1", data.deployment("sr-w1", "openai", "gpt-4o-mini", stubs.openAiBase("sr-w1"), "sk-w", 1, 5000));
            data.route("sr-weighted", List.of("sr-w3", "sr-w1"), List.of(), "weighted");
            openAi(data, "sr-slow", 5000);
            openAi(data, "sr-fast", 5000);
            data.route("sr-latency", List.of("sr-slow", "sr-fast"), List.of(), "lowest-latency");
            // Budget: a cheap primary (mock-small) with a pricier fallback model (built-in mock-large).
            ids.put("sr-cheap", data.deployment("sr-cheap", "mock", "mock-small", null, null, 1, 5000));
            data.route("sr-budget", List.of("sr-cheap"), List.of("mock-large"));
            seeded = true;
        }
        assertTrue(routing.reload());
        stubs.clear();
    }

    private void openAi(LlmTestData data, String name, int timeoutMs) {
        ids.put(name, data.deployment(name, "openai", "gpt-4o-mini", stubs.openAiBase(name), "sk-" + name, 1, timeoutMs));
    }

    private Response chat(String model, String extra) {
        return given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra
                        + "}")
                .post("/v1/chat/completions");
    }

    @Test
    void everyFailureKindFallsBackInThePlannedOrder() throws Exception {
        stubs.set("sr-429ra", new Status(429, Map.of("retry-after", "30"), "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}"))
                .set("sr-429", new Status(429, Map.of(), "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}"))
                .set("sr-500", new Status(500, Map.of(), "{\"error\":{\"message\":\"boom\"}}"))
                .set("sr-529", new Status(529, Map.of(), "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))
                .set("sr-hang", new Hang())
                .set("sr-ok", StubUpstreams.ok("finally"));
        long started = System.nanoTime();
        Response r = chat("sr-chaos", "");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        r.then().statusCode(200)
                .header("x-acc-fallbacks", "6")
                .header("x-acc-attempts", "7")
                .header("x-acc-provider", "openai")
                .header("x-acc-model", "gpt-4o-mini")
                .header("x-acc-route", "sr-chaos");
        assertEquals("finally", r.jsonPath().getString("choices[0].message.content"));
        // sr-closed refuses connections: it is attempted (attempt 6) but no stub sees it.
        assertEquals(List.of("sr-429ra", "sr-429", "sr-500", "sr-529", "sr-hang", "sr-ok"), stubs.order());
        assertTrue(tookMs >= HANG_TIMEOUT_MS && tookMs < 4_000, "the hang costs its timeout, nothing waits on Retry-After: " + tookMs);
        Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals("7", event.get("attempts"));
        assertEquals("6", event.get("fallbacks"));
        assertEquals("7", event.get("planned_attempts"));
        assertEquals(ids.get("sr-ok"), event.get("deployment_id"));
        assertEquals("sr-ok", event.get("deployment"));
        assertEquals("sr-chaos", event.get("requested_model"));
        assertEquals("sr-chaos", event.get("route_model"));
        assertEquals("gpt-4o-mini", event.get("served_model"));
        assertEquals("ok", event.get("status"));

        // Each failure is in the shared health with its kind; the Retry-After one is cooling down for 30 s.
        awaitHealth("sr-closed", h -> h.containsKey("fail_kind"));
        assertEquals("rate-limited", awaitHealth("sr-429ra", h -> Long.parseLong(h.getOrDefault("until", "0")) > 0)
                .get("fail_kind"), "Retry-After started a cooldown");
        assertEquals("rate-limited", health("sr-429").get("fail_kind"));
        assertEquals("server-error", health("sr-500").get("fail_kind"));
        assertEquals("server-error", health("sr-529").get("fail_kind"));
        assertEquals("timeout", health("sr-hang").get("fail_kind"));
        assertEquals("connection", health("sr-closed").get("fail_kind"));

        // Retries by reason are counted.
        String metrics = given().get("/q/metrics").asString();
        for (String reason : List.of("rate-limited", "server-error", "timeout", "connection")) {
            assertTrue(metrics.contains("acc_routing_retries_total{reason=\"" + reason + "\""), "retries of " + reason);
        }
        assertTrue(metrics.contains("acc_routing_fallbacks_total"));
        assertTrue(metrics.contains("acc_routing_cooldowns_total{deployment_id=\"" + ids.get("sr-429ra") + "\""));

        // The next call tries the cooled-down deployment last (demoted), so it starts with sr-429.
        stubs.clear();
        Response again = chat("sr-chaos", "");
        again.then().statusCode(200).header("x-acc-fallbacks", "5");
        assertEquals(List.of("sr-429", "sr-500", "sr-529", "sr-hang", "sr-ok"), stubs.order());
    }

    @Test
    void aStreamFailingBeforeItsFirstByteFallsBack() throws Exception {
        stubs.set("sr-sdie", new StreamDiesBeforeFirstByte())
                .set("sr-s500", new Status(500, Map.of(), "{\"error\":{\"message\":\"boom\"}}"))
                .set("sr-sok", StubUpstreams.ok("streamed"));
        Response r = chat("sr-stream", ",\"stream\":true");
        r.then().statusCode(200).header("x-acc-fallbacks", "2").header("x-acc-attempts", "3");
        List<String> data = dataLines(r.asString());
        assertTrue(data.stream().anyMatch(d -> d.contains("streamed")), "the good stream is relayed: " + data);
        assertEquals("[DONE]", data.get(data.size() - 1));
        assertEquals(List.of("sr-sdie", "sr-s500", "sr-sok"), stubs.order());
        Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals("3", event.get("attempts"));
        assertEquals("2", event.get("fallbacks"));
        assertEquals(ids.get("sr-sok"), event.get("deployment_id"));
        assertEquals("server-error", awaitHealth("sr-sdie", h -> h.containsKey("fail_kind")).get("fail_kind"));
    }

    @Test
    void fallbackCrossesFromAnOpenAiDeploymentToAnAnthropicOne() {
        stubs.set("sr-xoa", new Status(503, Map.of(), "{\"error\":{\"message\":\"unavailable\"}}"))
                .set("sr-xan", StubUpstreams.ok("from claude"));
        Response r = chat("sr-cross", "");
        r.then().statusCode(200)
                .header("x-acc-fallbacks", "1")
                .header("x-acc-provider", "anthropic")
                .header("x-acc-model", "claude-sonnet-4-5")
                .header("x-acc-route", "sr-cross");
        // The client still gets an OpenAI chat completion.
        assertEquals("chat.completion", r.jsonPath().getString("object"));
        assertEquals("from claude", r.jsonPath().getString("choices[0].message.content"));
        assertEquals(List.of("sr-xoa", "sr-xan"), stubs.order());
        StubUpstreams.Hit anthropic = stubs.hits().get(1);
        assertEquals("/sr-xan/v1/messages", anthropic.path());
        assertEquals("claude-sonnet-4-5", anthropic.body().getString("model"));
        assertEquals(50, anthropic.body().getInteger("max_tokens"));
        assertEquals("user", anthropic.body().getJsonArray("messages").getJsonObject(0).getString("role"));
        assertFalse(anthropic.body().containsKey("max_completion_tokens"), "an Anthropic body, not an OpenAI one");
        Map<String, String> event = UsageEvents.await(redis, r.header("x-acc-request-id"), Duration.ofSeconds(5));
        assertEquals(ids.get("sr-xan"), event.get("deployment_id"));
        assertEquals("anthropic", event.get("provider"));
        assertEquals("sr-cross", event.get("requested_model"));
        assertEquals("claude-sonnet-4-5", event.get("served_model"));
        assertEquals("2", event.get("attempts"));
    }

    @Test
    void retryAfterKeepsTheDeploymentOutOfTheWayUntilItPasses() throws Exception {
        stubs.set("sr-ra-bad", new Status(429, Map.of("retry-after", "5"), "{\"error\":{\"message\":\"slow down\"}}"))
                .set("sr-ra-good", StubUpstreams.ok("good"));
        chat("sr-retry-after", "").then().statusCode(200).header("x-acc-fallbacks", "1");
        assertEquals(List.of("sr-ra-bad", "sr-ra-good"), stubs.order());
        // Recording is fire-and-forget: wait for it to land (Redis clock, ms) before relying on it.
        long until = Long.parseLong(awaitHealth("sr-ra-bad", h -> Long.parseLong(h.getOrDefault("until", "0")) > 0).get("until"));
        assertTrue(until - System.currentTimeMillis() > 3_000, "cooling down for the Retry-After (5 s)");

        // Within the Retry-After, the next calls go to the good deployment first: no 429 is met again.
        for (int i = 0; i < 5; i++) {
            stubs.clear();
            chat("sr-retry-after", "").then().statusCode(200).header("x-acc-fallbacks", "0");
            assertEquals(List.of("sr-ra-good"), stubs.order(), "call " + i + " within the Retry-After");
        }
        assertTrue(System.currentTimeMillis() < until, "the calls above ran within the Retry-After");

        // The provider recovers; once the Retry-After has passed the deployment is tried first again (a probe).
        stubs.set("sr-ra-bad", StubUpstreams.ok("recovered"));
        Thread.sleep(Math.max(0, until - System.currentTimeMillis() + 150));
        stubs.clear();
        Response back = chat("sr-retry-after", "");
        back.then().statusCode(200).header("x-acc-fallbacks", "0");
        assertEquals("recovered", back.jsonPath().getString("choices[0].message.content"));
        assertEquals(List.of("sr-ra-bad"), stubs.order());
        awaitHealth("sr-ra-bad", h -> Long.parseLong(h.getOrDefault("until", "0")) == 0); // the success closed the circuit
    }

    @Test
    void aBusyProbeAnswers503WithRetryAfterUntilTheProbeLeaseEnds() throws Exception {
        stubs.set("sr-busy", StubUpstreams.ok("never"));
        String key = DeploymentHealth.key(ids.get("sr-busy"));
        // Cooled down and half-open now (cooldown over): the planner marks the attempt a probe.
        long now = System.currentTimeMillis();
        redis.hash(String.class).hset(key, Map.of("until", Long.toString(now - 1_000), "cause", "failures", "trips", "1",
                "cooldowns", "1", "fail_kind", "server-error", "fail_at", Long.toString(now - 6_000)));
        awaitProbe("sr-busy");
        Thread.sleep(50); // any background re-read of the view has landed (it saw no probe)
        // Another proxy takes the probe slot for 20 s; this proxy's view does not know yet.
        long leaseEnd = System.currentTimeMillis() + 20_000;
        redis.hash(String.class).hset(key, "probe", Long.toString(leaseEnd));
        try {
            long before = System.currentTimeMillis();
            Response r = chat("sr-busy", "");
            r.then().statusCode(503);
            assertEquals("deployment_busy", r.jsonPath().getString("error.code"));
            long retryAfter = Long.parseLong(r.header("Retry-After"));
            long expected = (leaseEnd - before + 999) / 1000;
            assertTrue(retryAfter >= expected - 1 && retryAfter <= expected, "Retry-After " + retryAfter
                    + " s is the rest of the 20 s probe lease (" + expected + " s)");
            assertTrue(r.jsonPath().getString("error.message").endsWith("retry in " + retryAfter + " s."),
                    r.jsonPath().getString("error.message"));
            assertEquals(List.of(), stubs.order(), "the busy deployment is not called");
        } finally {
            redis.key().del(key);
        }
    }

    @Test
    void weightedRouteSplitsCallsByWeight() {
        stubs.set("sr-w3", StubUpstreams.ok("w3")).set("sr-w1", StubUpstreams.ok("w1"));
        for (int i = 0; i < WEIGHTED_N; i++) {
            chat("sr-weighted", "").then().statusCode(200).header("x-acc-fallbacks", "0");
        }
        long heavy = stubs.count("sr-w3");
        long light = stubs.count("sr-w1");
        assertEquals(WEIGHTED_N, heavy + light);
        double share = 100.0 * heavy / WEIGHTED_N;
        System.out.printf("weighted 3:1 over N=%d: sr-w3 %.1f%%, sr-w1 %.1f%%%n", WEIGHTED_N, share, 100.0 - share);
        // Binomial standard deviation sqrt(0.75 x 0.25 / 400) = 2.2 pp: ±8 pp is a 3.7-sigma band.
        assertTrue(Math.abs(share - 75.0) <= WEIGHTED_TOLERANCE_PP, "share of the weight-3 deployment: " + share + "%");
    }

    @Test
    void lowestLatencyPrefersTheFasterDeployment() {
        stubs.set("sr-slow", new StubUpstreams.Ok("slow", 120)).set("sr-fast", StubUpstreams.ok("fast"));
        int n = 40;
        List<String> first = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            stubs.clear();
            chat("sr-latency", "").then().statusCode(200);
            first.add(stubs.order().get(0));
        }
        // Never-measured deployments go first (one call each to learn them); then the faster one wins.
        long fastAfterLearning = first.subList(2, n).stream().filter("sr-fast"::equals).count();
        System.out.printf("lowest-latency over N=%d: sr-fast took %d of the %d calls after the first 2%n", n,
                fastAfterLearning, n - 2);
        assertTrue(first.subList(0, 2).containsAll(List.of("sr-slow", "sr-fast")), "both measured first: " + first);
        assertTrue(fastAfterLearning >= (n - 2) * 0.9, "fast deployment first in " + fastAfterLearning + " of " + (n - 2));
    }

    @Test
    void theBudgetHoldCoversThePlansPriciestAttempt() throws Exception {
        String body = "{\"model\":\"sr-budget\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        RoutePlan plan = routing.plan(PlanRequest.builder(key.tenantId().toString(), "sr-budget")
                .features(com.agentcostcontrol.router.routing.RequestFeatures.of(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(body), com.agentcostcontrol.router.routing.WireFormat.OPENAI)).build());
        assertEquals(List.of("sr-cheap", "builtin:mock:mock-large"), plan.attempts().stream()
                .map(a -> a.deployment().name()).toList());
        BigDecimal cheap = plan.attempts().get(0).worstCaseUsd();
        BigDecimal priciest = plan.maxWorstCaseUsd().orElseThrow();
        assertEquals(plan.attempts().get(1).worstCaseUsd(), priciest);
        assertTrue(priciest.compareTo(cheap.multiply(BigDecimal.TEN)) > 0, cheap + " vs " + priciest);
        long priciestMicros = priciest.movePointRight(6).longValueExact();

        // A hard budget that covers the primary's worst case but not the fallback's: the call is refused.
        long limit = priciestMicros / 2;
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO budgets (id, tenant_id, scope_type, period, limit_micros, mode) VALUES (?, ?, 'tenant', 'monthly', ?, 'hard')")) {
            q.setObject(1, UUID.randomUUID());
            q.setObject(2, key.tenantId());
            q.setLong(3, limit);
            q.executeUpdate();
        }
        assertTrue(budgets.reload());
        budgetRedis.engine().markSynced(key.tenantId().toString()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Response refused = given().header("Authorization", "Bearer " + key.key()).contentType("application/json").body(body)
                .post("/v1/chat/completions");
        refused.then().statusCode(429).header("x-acc-route", "sr-budget");
        assertEquals("budget_exceeded", refused.jsonPath().getString("error.code"));
        assertTrue(refused.jsonPath().getString("error.message").contains("may cost up to $" + Money.formatUsd(priciestMicros)),
                refused.jsonPath().getString("error.message"));
        // The same request to the cheap model alone fits.
        given().header("Authorization", "Bearer " + key.key()).contentType("application/json")
                .body(body.replace("sr-budget", "mock-small")).post("/v1/chat/completions").then().statusCode(200);
    }

    /** Waits until the planner's cached health view marks the model's only attempt a half-open probe. */
    private void awaitProbe(String model) throws Exception {
        PlanRequest request = PlanRequest.builder(key.tenantId().toString(), model)
                .features(com.agentcostcontrol.router.routing.RequestFeatures.of(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree("{\"model\":\"" + model + "\",\"messages\":[]}"),
                        com.agentcostcontrol.router.routing.WireFormat.OPENAI)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!routing.plan(request).attempts().get(0).probe()) {
            assertTrue(System.nanoTime() < deadline, model + " never planned as a probe");
            Thread.sleep(20);
        }
    }

    /** The {@code data:} payloads of an SSE body, in order. */
    static List<String> dataLines(String sse) {
        List<String> out = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                out.add(line.substring(6).trim());
            }
        }
        return out;
    }

    /** The deployment's health hash once it satisfies {@code ready} (outcomes are recorded fire-and-forget). */
    private Map<String, String> awaitHealth(String deployment, java.util.function.Predicate<Map<String, String>> ready)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Map<String, String> h = health(deployment);
        while (!ready.test(h)) {
            assertTrue(System.nanoTime() < deadline, deployment + " health never got there: " + h);
            Thread.sleep(20);
            h = health(deployment);
        }
        return h;
    }

    private Map<String, String> health(String deployment) {
        return redis.hash(String.class).hgetall(DeploymentHealth.key(ids.get(deployment)));
    }
}
