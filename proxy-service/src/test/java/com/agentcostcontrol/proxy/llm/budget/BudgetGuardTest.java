package com.agentcostcontrol.proxy.llm.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetDefinitionReader;
import com.agentcostcontrol.budget.core.BudgetKeys;
import com.agentcostcontrol.budget.core.BudgetUsage;
import com.agentcostcontrol.budget.core.Money;
import com.agentcostcontrol.proxy.AuthenticatedKey;
import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.llm.Endpoint;
import com.agentcostcontrol.proxy.llm.LlmTestData;
import com.agentcostcontrol.proxy.llm.UsageEvents;
import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.usage.Prices;
import com.agentcostcontrol.proxy.llm.usage.TokenEstimator;
import com.agentcostcontrol.router.pricing.CostEstimator;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** Budgets and key rate limits on the hot path, through the proxy against the built-in mock provider. */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class BudgetGuardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    DataSource dataSource;
    @Inject
    BudgetSnapshot snapshot;
    @Inject
    BudgetRedis redis;
    @Inject
    Prices prices;
    @Inject
    Vertx vertx;
    @Inject
    RedisDataSource redisData;

    @TestHTTPResource("/v1/chat/completions")
    URI chatUri;

    LlmTestData data;

    @BeforeEach
    void setUp() {
        data = new LlmTestData(dataSource);
    }

    private static String chat(int i, int maxTokens) {
        return "{\"model\":\"mock-small\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Question number " + i + " for the budget test\"}]}";
    }

    private CompletableFuture<HttpResponse<String>> post(String key, String body) {
        HttpRequest r = HttpRequest.newBuilder(chatUri).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    private BudgetDefinition budget(UUID tenant, String mode, long limitMicros) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO budgets (id, tenant_id, scope_type, period, limit_micros, mode) VALUES (?, ?, 'tenant', 'monthly', ?, ?)")) {
            q.setObject(1, id);
            q.setObject(2, tenant);
            q.setLong(3, limitMicros);
            q.setString(4, mode);
            q.executeUpdate();
        }
        assertTrue(snapshot.reload());
        try (Connection c = dataSource.getConnection()) {
            return BudgetDefinitionReader.ofTenant(c, tenant).stream().filter(b -> b.id().equals(id.toString())).findFirst()
                    .orElseThrow();
        }
    }

    private long worstCase(String body) throws Exception {
        JsonNode n = JSON.readTree(body);
        return CostEstimator.worstCase(prices.price(null, "mock-small").orElseThrow(), TokenEstimator.ofRequest(n),
                n.get("max_tokens").asInt()).totalMicros();
    }

    @Test
    void twoHundredConcurrentCallsNeverSpendPastAHardBudget() throws Exception {
        // Warm-up on another tenant (JIT, Lua script cache, connections), so the burst measures the protocol.
        LlmTestData.Issued warm = data.key();
        budget(warm.tenantId(), "hard", 1_000_000_000L);
        redis.engine().markSynced(warm.tenantId().toString()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        List<CompletableFuture<HttpResponse<String>>> warmCalls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            warmCalls.add(post(warm.key(), chat(i, 30)));
        }
        for (CompletableFuture<HttpResponse<String>> f : warmCalls) {
            assertEquals(200, f.get(60, TimeUnit.SECONDS).statusCode());
        }

        LlmTestData.Issued key = data.key();
        String tenant = key.tenantId().toString();
        long limit = 20 * worstCase(chat(100, 30));
        BudgetDefinition budget = budget(key.tenantId(), "hard", limit);
        redis.engine().markSynced(tenant).toCompletableFuture().get(5, TimeUnit.SECONDS);

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(post(key.key(), chat(100 + i, 30)));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

        long headerSum = 0;
        int ok = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> f : calls) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) {
                ok++;
                String cost = r.headers().firstValue("x-acc-cost-usd").orElseThrow();
                headerSum += Money.roundToMicros(new BigDecimal(cost));
            } else {
                assertEquals(429, r.statusCode(), r.body());
                refused++;
                JsonNode err = JSON.readTree(r.body()).path("error");
                assertEquals("budget_exceeded", err.path("code").asText(), r.body());
                assertTrue(err.path("message").asText().startsWith("budget " + budget.id() + " (monthly, tenant) would be exceeded: remaining $"),
                        err.path("message").asText());
                assertTrue(r.headers().firstValue("retry-after").isPresent());
            }
        }
        assertEquals(200, ok + refused);
        assertTrue(ok >= 15, "admitted " + ok);
        assertTrue(refused >= 100, "refused " + refused);

        // Settles run after the answer is out: poll until no reservation is left.
        BudgetUsage usage = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            usage = redis.engine().status(tenant, List.of(budget), Instant.now()).toCompletableFuture().get(5, TimeUnit.SECONDS)
                    .usages().get(0);
            if (usage.reservedMicros() == 0 && usage.spentMicros() == headerSum) {
                break;
            }
            Thread.sleep(50);
        }
        assertNotNull(usage);
        assertEquals(0, usage.reservedMicros());
        assertEquals(headerSum, usage.spentMicros(), "spent vs sum of x-acc-cost-usd over " + ok + " calls");
        assertTrue(usage.spentMicros() <= limit, "spent " + usage.spentMicros() + " > limit " + limit);
        System.out.printf("budget test: limit %d micros, %d admitted, %d refused, spent %d micros%n", limit, ok, refused,
                usage.spentMicros());
    }

    @Test
    void hardBudgetFailsClosedWhenItsCountersCannotBeChecked() throws Exception {
        LlmTestData.Issued key = data.key();
        // Never marked synced: the engine cannot judge a hard budget, which is the Redis-unavailable policy's case.
        BudgetDefinition budget = budget(key.tenantId(), "hard", 1_000_000);
        HttpResponse<String> r = post(key.key(), chat(1, 30)).get(30, TimeUnit.SECONDS);
        assertEquals(503, r.statusCode(), r.body());
        JsonNode err = JSON.readTree(r.body()).path("error");
        assertEquals("budget_unavailable", err.path("code").asText());
        assertTrue(err.path("message").asText().contains(budget.id()), err.path("message").asText());
    }

    @Test
    void usageEventNamesTheBudgetsTheReservationHeld() throws Exception {
        LlmTestData.Issued key = data.key();
        BudgetDefinition budget = budget(key.tenantId(), "soft", 1_000_000_000L);
        HttpResponse<String> r = post(key.key(), chat(3, 20)).get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, String> event = UsageEvents.await(redisData, r.headers().firstValue("x-acc-request-id").orElseThrow(),
                Duration.ofSeconds(10));
        assertEquals(budget.id(), event.get("budget_ids"));

        // No budget applies: no reservation, the field is present and empty (consumers re-match).
        LlmTestData.Issued free = data.key();
        HttpResponse<String> r2 = post(free.key(), chat(4, 20)).get(30, TimeUnit.SECONDS);
        assertEquals(200, r2.statusCode(), r2.body());
        Map<String, String> event2 = UsageEvents.await(redisData, r2.headers().firstValue("x-acc-request-id").orElseThrow(),
                Duration.ofSeconds(10));
        assertEquals("", event2.get("budget_ids"));
    }

    @Test
    void aSettledCallIsRememberedForTheSettledMarkerTtlOnly() throws Exception {
        LlmTestData.Issued key = data.key();
        budget(key.tenantId(), "hard", 1_000_000_000L);
        redis.engine().markSynced(key.tenantId().toString()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        HttpResponse<String> r = post(key.key(), chat(5, 20)).get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        long cost = Money.roundToMicros(new BigDecimal(r.headers().firstValue("x-acc-cost-usd").orElseThrow()));
        String marker = BudgetKeys.settled(key.tenantId().toString(), r.headers().firstValue("x-acc-request-id").orElseThrow());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String settled;
        while ((settled = redisData.value(String.class).get(marker)) == null && System.nanoTime() < deadline && sleep()) {
        }
        assertEquals(Long.toString(cost), settled, "the marker holds the settled cost");
        long ttl = redisData.key().ttl(marker);
        // acc.proxy.budget.settled-marker-ttl defaults to 5 min (one key per call: an hour of them costs ~400 MB at 1,000/s).
        assertTrue(ttl > 240 && ttl <= 300, "marker ttl " + ttl + " s");
    }

    @Test
    void softBudgetNeverRefuses() throws Exception {
        LlmTestData.Issued key = data.key();
        BudgetDefinition budget = budget(key.tenantId(), "soft", 1);
        HttpResponse<String> r = post(key.key(), chat(2, 30)).get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        long cost = Money.roundToMicros(new BigDecimal(r.headers().firstValue("x-acc-cost-usd").orElseThrow()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        BudgetUsage usage;
        do {
            usage = redis.engine().status(key.tenantId().toString(), List.of(budget), Instant.now()).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).usages().get(0);
        } while (usage.spentMicros() != cost && System.nanoTime() < deadline && sleep());
        assertEquals(cost, usage.spentMicros());
    }

    @Test
    void keyRpmLimitAnswers429WithRetryAfterAndRateLimitHeaders() throws Exception {
        LlmTestData.Issued key = data.key();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("UPDATE virtual_keys SET rpm_limit = 2 WHERE id = ?")) {
            q.setObject(1, key.keyId());
            q.executeUpdate();
        }
        HttpResponse<String> first = post(key.key(), chat(1, 10)).get(30, TimeUnit.SECONDS);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("2", first.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
        assertEquals("1", first.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        HttpResponse<String> second = post(key.key(), chat(2, 10)).get(30, TimeUnit.SECONDS);
        assertEquals(200, second.statusCode(), second.body());
        assertEquals("0", second.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());

        HttpResponse<String> third = post(key.key(), chat(3, 10)).get(30, TimeUnit.SECONDS);
        assertEquals(429, third.statusCode(), third.body());
        long retryAfter = Long.parseLong(third.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals("2", third.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
        assertEquals("0", third.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        JsonNode err = JSON.readTree(third.body()).path("error");
        assertEquals("rate_limit_exceeded", err.path("code").asText());
        assertTrue(err.path("message").asText().startsWith("Rate limit reached for key "), err.path("message").asText());
    }

    @Test
    void redisUnreachableFailsClosedForAHardBudgetUnlessFailOpen() throws Exception {
        LlmTestData.Issued key = data.key();
        BudgetDefinition budget = budget(key.tenantId(), "hard", 1_000_000);
        // A Redis client on a port nobody listens on: every script fails to connect.
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        Redis dead = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + deadPort));
        try {
            BudgetRedis deadRedis = new BudgetRedis(dead, budgetConfig(Duration.ofSeconds(2)));
            LlmCall call = new LlmCall(Endpoint.CHAT_COMPLETIONS, null);
            call.key = new AuthenticatedKey(key.keyId(), key.tenantId(), "ci", "acc_x", Set.of("llm"), List.of(), null, null,
                    null);
            call.requestedModel = "mock-small";
            call.body = (ObjectNode) JSON.readTree(chat(1, 30));

            Throwable closed = new BudgetGuardService(snapshot, deadRedis, prices, false, Duration.ofMinutes(5)).reserve(call)
                    .toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(30, TimeUnit.SECONDS);
            Refusal refusal = assertInstanceOf(Refusal.class, closed);
            assertEquals(503, refusal.status());
            assertEquals("budget_unavailable", refusal.code());
            assertTrue(refusal.getMessage().contains(budget.id()) && refusal.getMessage().contains("cannot be reached"),
                    refusal.getMessage());

            Throwable open = new BudgetGuardService(snapshot, deadRedis, prices, true, Duration.ofMinutes(5)).reserve(call)
                    .toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(30, TimeUnit.SECONDS);
            assertNull(open);
        } finally {
            dead.close();
        }
    }

    private static ProxyConfig.Budget budgetConfig(Duration redisTimeout) {
        return new ProxyConfig.Budget() {
            @Override
            public boolean failOpen() {
                return false;
            }

            @Override
            public Duration refreshInterval() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration leaseTtl() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Duration redisTimeout() {
                return redisTimeout;
            }

            @Override
            public Duration settledMarkerTtl() {
                return Duration.ofMinutes(5);
            }
        };
    }

    private static boolean sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
