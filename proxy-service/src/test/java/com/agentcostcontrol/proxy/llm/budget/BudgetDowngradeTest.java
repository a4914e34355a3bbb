package com.agentcostcontrol.proxy.llm.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetDefinitionReader;
import com.agentcostcontrol.budget.core.BudgetUsage;
import com.agentcostcontrol.budget.core.Money;
import com.agentcostcontrol.proxy.llm.LlmTestData;
import com.agentcostcontrol.proxy.llm.UsageEvents;
import com.agentcostcontrol.proxy.llm.usage.Prices;
import com.agentcostcontrol.proxy.llm.usage.TokenEstimator;
import com.agentcostcontrol.router.pricing.CostEstimator;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A budget's downgrade policy through the proxy against the built-in mock provider: mock-large (priced like
 * claude-sonnet-4-5) is served until the policy's threshold, then mock-small (priced like gpt-4o-mini), then 429.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class BudgetDowngradeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int MAX_TOKENS = 40;

    @Inject
    DataSource dataSource;
    @Inject
    BudgetSnapshot snapshot;
    @Inject
    BudgetRedis redis;
    @Inject
    Prices prices;
    @Inject
    RedisDataSource redisData;
    @Inject
    MeterRegistry metrics;

    @TestHTTPResource("/v1/chat/completions")
    URI chatUri;

    LlmTestData data;

    @BeforeEach
    void setUp() {
        data = new LlmTestData(dataSource);
    }

    private static String chat(String model, int i) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + MAX_TOKENS
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Downgrade question number " + i + "\"}]}";
    }

    /** The mock answers with exactly max_tokens words, so a call costs (almost) its worst case. */
    private CompletableFuture<HttpResponse<String>> post(String key, String body) {
        HttpRequest r = HttpRequest.newBuilder(chatUri).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .header("x-acc-mock", "words=" + MAX_TOKENS)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    private long worstCase(String body) throws Exception {
        JsonNode n = JSON.readTree(body);
        return CostEstimator.worstCase(prices.price(null, n.get("model").asText()).orElseThrow(), TokenEstimator.ofRequest(n),
                n.get("max_tokens").asInt()).totalMicros();
    }

    private BudgetDefinition budget(UUID tenant, String mode, long limitMicros, String downgradeModel, int atPercent)
            throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO budgets (id, tenant_id, scope_type, period, limit_micros, mode, downgrade_model, downgrade_at_percent)"
                        + " VALUES (?, ?, 'tenant', 'monthly', ?, ?, ?, ?)")) {
            q.setObject(1, id);
            q.setObject(2, tenant);
            q.setLong(3, limitMicros);
            q.setString(4, mode);
            q.setString(5, downgradeModel);
            q.setInt(6, atPercent);
            q.executeUpdate();
        }
        assertTrue(snapshot.reload());
        redis.engine().markSynced(tenant.toString()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        try (Connection c = dataSource.getConnection()) {
            return BudgetDefinitionReader.ofTenant(c, tenant).stream().filter(b -> b.id().equals(id.toString())).findFirst()
                    .orElseThrow();
        }
    }

    private BudgetUsage usage(BudgetDefinition b) throws Exception {
        return redis.engine().status(b.tenantId(), List.of(b), Instant.now()).toCompletableFuture().get(5, TimeUnit.SECONDS)
                .usages().get(0);
    }

    /** Settles run after the answer is out: waits until nothing is held and the spend is what the answers cost. */
    private BudgetUsage settled(BudgetDefinition b, long expectedSpent) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        BudgetUsage u = usage(b);
        while ((u.reservedMicros() != 0 || u.spentMicros() != expectedSpent) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            u = usage(b);
        }
        assertEquals(0, u.reservedMicros(), "reserved");
        assertEquals(expectedSpent, u.spentMicros(), "spent vs sum of x-acc-cost-usd");
        return u;
    }

    private double downgrades(BudgetDefinition b) {
        Counter c = metrics.find("acc.budget.downgrades").tag("budget_id", b.id()).counter();
        return c == null ? 0 : c.count();
    }

    private static long cost(HttpResponse<String> r) {
        return Money.roundToMicros(new BigDecimal(r.headers().firstValue("x-acc-cost-usd").orElseThrow()));
    }

    @Test
    void aHardBudgetServesTheCheaperModelPastItsThresholdThenRefuses() throws Exception {
        LlmTestData.Issued key = data.key();
        long large = worstCase(chat("mock-large", 0));
        long small = worstCase(chat("mock-small", 0));
        assertTrue(large > 10 * small, large + " vs " + small);
        long limit = 6 * large;
        BudgetDefinition b = budget(key.tenantId(), "hard", limit, "mock-small", 50);
        long threshold = limit / 2;

        long spent = 0;
        int servedLarge = 0;
        int servedSmall = 0;
        String downgradedRequest = null;
        HttpResponse<String> refused = null;
        for (int i = 1; i <= 300 && refused == null; i++) {
            // This call's worst cases (the prompt estimate depends on the text).
            long largeI = worstCase(chat("mock-large", i));
            long smallI = worstCase(chat("mock-small", i));
            HttpResponse<String> r = post(key.key(), chat("mock-large", i)).get(30, TimeUnit.SECONDS);
            if (r.statusCode() == 429) {
                refused = r;
                // Refused only once even the cheaper model's worst case does not fit the real limit.
                assertTrue(spent + smallI > limit, "refused with " + (limit - spent) + " left, small worst case " + smallI);
                break;
            }
            assertEquals(200, r.statusCode(), r.body());
            String model = r.headers().firstValue("x-acc-model").orElseThrow();
            if (spent + largeI <= threshold) {
                assertEquals("mock-large", model, "call " + i + " fits below the threshold");
                assertFalse(r.headers().firstValue("x-acc-downgraded-from").isPresent());
                assertEquals("mock-large", JSON.readTree(r.body()).path("model").asText());
                servedLarge++;
            } else {
                assertEquals("mock-small", model, "call " + i + " crosses the threshold: " + (spent + largeI) + " > " + threshold);
                assertTrue(spent + smallI <= limit);
                assertEquals("mock-large", r.headers().firstValue("x-acc-downgraded-from").orElseThrow());
                assertTrue(servedLarge > 0);
                servedSmall++;
                downgradedRequest = r.headers().firstValue("x-acc-request-id").orElseThrow();
            }
            spent += cost(r);
            settled(b, spent);
        }
        assertTrue(servedLarge >= 2, "large " + servedLarge);
        assertTrue(servedSmall >= 20, "small " + servedSmall);
        assertTrue(refused != null, "never refused");
        JsonNode err = JSON.readTree(refused.body()).path("error");
        assertEquals("budget_exceeded", err.path("code").asText());
        String message = err.path("message").asText();
        assertTrue(message.startsWith("budget " + b.id() + " (monthly, tenant) would be exceeded"), message);
        assertTrue(message.contains("Even served by mock-small instead of mock-large (downgrade policy of budget " + b.id()),
                message);

        BudgetUsage end = settled(b, spent);
        assertTrue(end.spentMicros() <= limit, "spent " + end.spentMicros() + " > limit " + limit);
        assertEquals(servedSmall, downgrades(b), 0.0);

        Map<String, String> event = UsageEvents.await(redisData, downgradedRequest, Duration.ofSeconds(5));
        assertEquals("mock-large", event.get("requested_model"));
        assertEquals("mock-small", event.get("served_model"));
        assertEquals("mock-small", event.get("downgraded_to"));
        assertEquals(b.id(), event.get("downgrade_budget_id"));
        Map<String, String> refusedEvent = UsageEvents.await(redisData,
                refused.headers().firstValue("x-acc-request-id").orElseThrow(), Duration.ofSeconds(5));
        assertEquals("mock-large", refusedEvent.get("requested_model"));
        assertEquals("", refusedEvent.get("downgraded_to"));
        assertEquals("refused", refusedEvent.get("status"));
        System.out.printf("downgrade test: limit %d, threshold %d, large wc %d, small wc %d: %d large, %d small, spent %d%n",
                limit, threshold, large, small, servedLarge, servedSmall, end.spentMicros());
    }

    @Test
    void hundredConcurrentCallsNearTheThresholdNeverOvershoot() throws Exception {
        LlmTestData.Issued key = data.key();
        long large = worstCase(chat("mock-large", 1000));
        long small = worstCase(chat("mock-small", 1000));
        long limit = 3 * large + 30 * small;
        BudgetDefinition b = budget(key.tenantId(), "hard", limit, "mock-small", 80);
        long threshold = limit * 80 / 100;

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(post(key.key(), chat("mock-large", 1000 + i)));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long sum = 0;
        long largeSum = 0;
        int servedLarge = 0;
        int servedSmall = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> f : calls) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 429) {
                refused++;
                assertTrue(JSON.readTree(r.body()).path("error").path("message").asText().startsWith("budget " + b.id()),
                        r.body());
                continue;
            }
            assertEquals(200, r.statusCode(), r.body());
            sum += cost(r);
            if ("mock-large".equals(r.headers().firstValue("x-acc-model").orElseThrow())) {
                servedLarge++;
                largeSum += cost(r);
                assertFalse(r.headers().firstValue("x-acc-downgraded-from").isPresent());
            } else {
                assertEquals("mock-small", r.headers().firstValue("x-acc-model").orElseThrow());
                assertEquals("mock-large", r.headers().firstValue("x-acc-downgraded-from").orElseThrow());
                servedSmall++;
            }
        }
        BudgetUsage end = settled(b, sum);
        System.out.printf("downgrade burst: limit %d, threshold %d: %d large (%d), %d small, %d refused, spent %d%n", limit,
                threshold, servedLarge, largeSum, servedSmall, refused, end.spentMicros());
        assertEquals(100, servedLarge + servedSmall + refused);
        assertTrue(end.spentMicros() <= limit, "spent " + end.spentMicros() + " > limit " + limit);
        assertTrue(largeSum <= threshold, "mock-large spent " + largeSum + " past the threshold " + threshold);
        assertTrue(servedLarge >= 1 && servedSmall >= 1 && refused >= 1, servedLarge + "/" + servedSmall + "/" + refused);
        assertEquals(servedSmall, downgrades(b), 0.0);
        // Nothing left for either model: the room left is below the cheaper model's worst case.
        assertTrue(limit - end.spentMicros() < large, "left " + (limit - end.spentMicros()));
    }

    @Test
    void aSoftBudgetDowngradesButNeverRefusesAndAKeyWithoutTheCheaperModelIsServedAsAsked() throws Exception {
        LlmTestData.Issued key = data.key();
        BudgetDefinition b = budget(key.tenantId(), "soft", 1, "mock-small", 100);
        HttpResponse<String> r = post(key.key(), chat("mock-large", 2000)).get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("mock-small", r.headers().firstValue("x-acc-model").orElseThrow());
        assertEquals("mock-large", r.headers().firstValue("x-acc-downgraded-from").orElseThrow());
        settled(b, cost(r));

        // A stream says so in its headers too.
        String streamed = chat("mock-large", 2003).replace("{\"model\"", "{\"stream\":true,\"model\"");
        HttpResponse<String> stream = post(key.key(), streamed).get(30, TimeUnit.SECONDS);
        assertEquals(200, stream.statusCode(), stream.body());
        assertTrue(stream.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        assertEquals("mock-small", stream.headers().firstValue("x-acc-model").orElseThrow());
        assertEquals("mock-large", stream.headers().firstValue("x-acc-downgraded-from").orElseThrow());
        assertTrue(stream.body().contains("[DONE]"), stream.body());
        assertEquals("mock-small", UsageEvents.await(redisData, stream.headers().firstValue("x-acc-request-id").orElseThrow(),
                Duration.ofSeconds(5)).get("downgraded_to"));

        // The key may only call mock-large: the policy cannot apply, and a soft budget never refuses.
        LlmTestData.Issued onlyLarge = data.key("active", List.of("mock-large"));
        BudgetDefinition b2 = budget(onlyLarge.tenantId(), "soft", 1, "mock-small", 100);
        HttpResponse<String> asAsked = post(onlyLarge.key(), chat("mock-large", 2001)).get(30, TimeUnit.SECONDS);
        assertEquals(200, asAsked.statusCode(), asAsked.body());
        assertEquals("mock-large", asAsked.headers().firstValue("x-acc-model").orElseThrow());
        assertFalse(asAsked.headers().firstValue("x-acc-downgraded-from").isPresent());
        settled(b2, cost(asAsked));
        assertEquals(0, downgrades(b2), 0.0);

        // A call that already asks for the cheaper model is served as asked.
        HttpResponse<String> cheap = post(key.key(), chat("mock-small", 2002)).get(30, TimeUnit.SECONDS);
        assertEquals(200, cheap.statusCode(), cheap.body());
        assertEquals("mock-small", cheap.headers().firstValue("x-acc-model").orElseThrow());
        assertFalse(cheap.headers().firstValue("x-acc-downgraded-from").isPresent());
        assertEquals(2, downgrades(b), 0.0);
    }
}
