package com.agentcostcontrol.proxy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetDefinitionReader;
import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.budget.core.BudgetKeys;
import com.agentcostcontrol.budget.core.BudgetUsage;
import com.agentcostcontrol.budget.core.Money;
import com.agentcostcontrol.platform.redis.vertx.VertxRedisScriptExecutor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * Reservation leases across a proxy crash and during calls longer than the lease, against the packaged proxy
 * ({@link ProxyProcess}) and the real Redis/Postgres. Each test proves that the reservation really blocks
 * (a second call is refused while it is held) and then how it ends.
 */
class BudgetLeaseIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern WORST_CASE = Pattern.compile("may cost up to \\$(\\d+\\.\\d{6})");

    private static Map<String, String> env;
    private static Vertx vertx;
    private static Redis redis;
    private static BudgetEngine engine;

    @BeforeAll
    static void setUp() {
        env = ProxyProcess.testEnvironment("acc_test_proxy_lease", 6);
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, env.get("quarkus.redis.hosts"));
        engine = new BudgetEngine(new VertxRedisScriptExecutor(redis), BudgetEngine.Settings.defaults());
    }

    @AfterAll
    static void tearDown() {
        if (redis != null) {
            redis.close();
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    private static ProxyProcess.Builder proxy(String name, String leaseTtl) {
        return ProxyProcess.builder(env).name(name).property("acc.proxy.budget.lease-ttl", leaseTtl)
                .property("acc.proxy.budget.refresh-interval", "500ms");
    }

    @Test
    void aCrashedProxysReservationIsReleasedAfterItsLeaseAndAFreshProxyAdmits() throws Exception {
        ProxyProcess first = proxy("lease-crash", "3s").start();
        ProxyProcess second = null;
        try {
            String tenant = first.createTenant("lease crash");
            ProxyProcess.IssuedKey key = first.issueKey(tenant, "crash");
            String body = chat(false, "A question whose answer hangs upstream");
            Budget budget = hardBudget(first, key, body, body);
            long x = budget.worstCase;

            // Held: a call hanging upstream (the mock waits 2 min before answering) holds its worst case.
            CompletableFuture<HttpResponse<String>> hanging = holdWithDelayedCall(first, key, body, "delay=120s", budget);
            HttpResponse<String> refused = post(first, key, body, null).get(60, TimeUnit.SECONDS);
            assertBudgetExceeded(refused, budget);
            // Renewal keeps the hold past the 3 s lease while the proxy lives.
            Thread.sleep(4_500);
            assertEquals(x, usage(budget).reservedMicros(), "held past the lease TTL while the proxy runs");
            assertFalse(hanging.isDone());

            first.kill();
            Instant killedAt = Instant.now();
            // The crash settles nothing: right after it the reservation is still in Redis, lease and counter.
            BudgetUsage afterKill = usage(budget);
            assertEquals(x, afterKill.reservedMicros(), "reserved right after SIGKILL");
            assertEquals(0, afterKill.spentMicros());
            assertEquals(1L, zcard(BudgetKeys.leases(tenant)), "one lease in " + BudgetKeys.leases(tenant));
            assertTrue(hanging.handle((r, e) -> e != null).get(30, TimeUnit.SECONDS), "the client saw the connection die");

            // ... until its lease (3 s, no renewal any more) expires; any script of the tenant sweeps it.
            long reserved = x;
            while (reserved != 0 && Duration.between(killedAt, Instant.now()).toSeconds() < 20) {
                Thread.sleep(200);
                reserved = usage(budget).reservedMicros();
            }
            Duration releasedAfter = Duration.between(killedAt, Instant.now());
            assertEquals(0, reserved, "reserved 20 s after the crash");
            assertEquals(0L, zcard(BudgetKeys.leases(tenant)));
            assertEquals(0, usage(budget).spentMicros(), "a crashed call spends nothing in Redis");
            System.out.printf("lease-crash: worst case %d micros held; released %d ms after SIGKILL (lease 3 s)%n", x,
                    releasedAfter.toMillis());

            // A fresh proxy on the same Redis admits the call the held reservation refused.
            second = proxy("lease-restart", "3s").start();
            HttpResponse<String> admitted = post(second, key, body, null).get(60, TimeUnit.SECONDS);
            assertEquals(200, admitted.statusCode(), admitted.body());
            long cost = Money.roundToMicros(new BigDecimal(admitted.headers().firstValue("x-acc-cost-usd").orElseThrow()));
            assertTrue(cost > 0 && cost <= x, "cost " + cost);
            BudgetUsage settled = awaitUsage(budget, 0, cost);
            assertEquals(cost, settled.spentMicros());
            assertEquals(0, settled.reservedMicros());
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void aStreamLongerThanTheLeaseKeepsItsReservationUntilItEnds() throws Exception {
        try (ProxyProcess proxy = proxy("lease-stream", "2s").start()) {
            String tenant = proxy.createTenant("lease stream");
            ProxyProcess.IssuedKey key = proxy.issueKey(tenant, "stream");
            String stream = chat(true, "Tell a long story slowly");
            String other = chat(false, "Tell a long story slowly");
            Budget budget = hardBudget(proxy, key, stream, other);

            // ~13 events 500 ms apart: about 6 s, three lease TTLs (the first 1.5 s pass in holdWithDelayedCall).
            Instant started = Instant.now();
            CompletableFuture<HttpResponse<String>> streaming = holdWithDelayedCall(proxy, key, stream, "chunk-delay=500ms,words=30",
                    budget);

            int refusals = 0;
            for (long at : new long[] { 2_500, 4_500 }) {
                long wait = at - Duration.between(started, Instant.now()).toMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                HttpResponse<String> r = post(proxy, key, other, null).get(60, TimeUnit.SECONDS);
                assertFalse(streaming.isDone(), "the stream still runs when the concurrent call is answered");
                assertBudgetExceeded(r, budget);
                refusals++;
            }
            HttpResponse<String> done = streaming.get(60, TimeUnit.SECONDS);
            Duration took = Duration.between(started, Instant.now());
            assertEquals(200, done.statusCode(), done.body());
            assertTrue(done.body().contains("data: [DONE]"), done.body());
            assertTrue(took.toMillis() > 4_000, "the stream outlived two lease TTLs: " + took.toMillis() + " ms");

            // Settled once it ended: the hold is replaced by the real cost, and the other call now fits.
            BudgetUsage after = awaitUsage(budget, 0, -1);
            assertTrue(after.spentMicros() > 0 && after.spentMicros() <= budget.worstCase, "spent " + after.spentMicros());
            HttpResponse<String> admitted = post(proxy, key, other, null).get(60, TimeUnit.SECONDS);
            assertEquals(200, admitted.statusCode(), admitted.body());
            System.out.printf("lease-stream: stream of %d ms under a 2 s lease kept %d micros; %d concurrent calls refused%n",
                    took.toMillis(), budget.worstCase, refusals);
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------

    /** A hard monthly tenant budget. */
    record Budget(BudgetDefinition definition, String tenant, long worstCase) {
    }

    private static String chat(boolean stream, String text) {
        return "{\"model\":\"mock-small\",\"max_tokens\":400,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    /**
     * A hard budget with room for one call of {@code held} but not a second call of {@code other} besides it.
     * The worst cases are the proxy's own figures: read from the refusal of a 1-micro budget first.
     */
    private static Budget hardBudget(ProxyProcess proxy, ProxyProcess.IssuedKey key, String held, String other)
            throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = jdbc(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO budgets (id, tenant_id, scope_type, period, limit_micros, mode) VALUES (?, ?, 'tenant', 'monthly', 1, 'hard')")) {
            q.setObject(1, id);
            q.setObject(2, UUID.fromString(key.tenantId()));
            q.executeUpdate();
        }
        engine.markSynced(key.tenantId()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        long heldWorst = probeWorstCase(proxy, key, held);
        long otherWorst = probeWorstCase(proxy, key, other);
        long limit = heldWorst + otherWorst / 2;
        try (Connection c = jdbc(); PreparedStatement q = c.prepareStatement("UPDATE budgets SET limit_micros = ? WHERE id = ?")) {
            q.setLong(1, limit);
            q.setObject(2, id);
            q.executeUpdate();
        }
        BudgetDefinition def;
        try (Connection c = jdbc()) {
            def = BudgetDefinitionReader.ofTenant(c, UUID.fromString(key.tenantId())).stream()
                    .filter(b -> b.id().equals(id.toString())).findFirst().orElseThrow();
        }
        assertEquals(limit, def.limitMicros());
        return new Budget(def, key.tenantId(), heldWorst);
    }

    /** Polls until the proxy's snapshot has the 1-micro budget and refuses; answers the call's worst case. */
    private static long probeWorstCase(ProxyProcess proxy, ProxyProcess.IssuedKey key, String body) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = post(proxy, key, body, null).get(60, TimeUnit.SECONDS);
            if (r.statusCode() == 429) {
                Matcher m = WORST_CASE.matcher(JSON.readTree(r.body()).path("error").path("message").asText());
                assertTrue(m.find(), r.body());
                return Money.parseUsd(m.group(1));
            }
            assertEquals(200, r.statusCode(), r.body()); // not in the snapshot yet: no budget applies
            Thread.sleep(200);
        }
        throw new AssertionError("the proxy never loaded the budget");
    }

    /**
     * Sends a call the mock holds upstream and returns it once its reservation is in Redis (the snapshot may
     * still hold the 1-micro limit for a moment: then the call is refused at once and sent again).
     */
    private static CompletableFuture<HttpResponse<String>> holdWithDelayedCall(ProxyProcess proxy, ProxyProcess.IssuedKey key,
            String body, String mock, Budget budget) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            CompletableFuture<HttpResponse<String>> f = post(proxy, key, body, mock);
            try {
                HttpResponse<String> r = f.get(1_500, TimeUnit.MILLISECONDS);
                assertEquals(429, r.statusCode(), "a held call answered early: " + r.body());
                Thread.sleep(300);
            } catch (TimeoutException held) {
                awaitUsage(budget, budget.worstCase, 0);
                return f;
            }
        }
        throw new AssertionError("the proxy never admitted the delayed call under the new limit");
    }

    private static void assertBudgetExceeded(HttpResponse<String> r, Budget budget) throws Exception {
        assertEquals(429, r.statusCode(), r.body());
        JsonNode err = JSON.readTree(r.body()).path("error");
        assertEquals("budget_exceeded", err.path("code").asText(), r.body());
        assertTrue(err.path("message").asText().contains(budget.definition.id()), r.body());
    }

    private static CompletableFuture<HttpResponse<String>> post(ProxyProcess proxy, ProxyProcess.IssuedKey key, String body,
            String mock) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(180)).header("Authorization", "Bearer " + key.key())
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (mock != null) {
            b.header("x-acc-mock", mock);
        }
        return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static BudgetUsage usage(Budget budget) throws Exception {
        return engine.status(budget.tenant, List.of(budget.definition), Instant.now()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).usages().get(0);
    }

    /** Polls the counters until reserved equals {@code reserved} and (unless -1) spent equals {@code spent}. */
    private static BudgetUsage awaitUsage(Budget budget, long reserved, long spent) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        BudgetUsage u = usage(budget);
        while (!(u.reservedMicros() == reserved && (spent < 0 || u.spentMicros() == spent)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            u = usage(budget);
        }
        if (u.reservedMicros() != reserved || (spent >= 0 && u.spentMicros() != spent)) {
            fail("counters: reserved " + u.reservedMicros() + " (want " + reserved + "), spent " + u.spentMicros()
                    + " (want " + spent + ")");
        }
        return u;
    }

    private static long zcard(String key) throws Exception {
        return redis.send(Request.cmd(Command.ZCARD).arg(key)).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).toLong();
    }

    private static Connection jdbc() throws SQLException {
        return DriverManager.getConnection(env.get("quarkus.datasource.jdbc.url"), env.get("quarkus.datasource.username"),
                env.get("quarkus.datasource.password"));
    }
}
