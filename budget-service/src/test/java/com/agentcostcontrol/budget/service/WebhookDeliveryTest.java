package com.agentcostcontrol.budget.service;

import static com.agentcostcontrol.budget.Fixtures.eventually;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.Fixtures;
import com.agentcostcontrol.budget.repository.DeliveryRepository;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Alert webhooks end to end: ledger → alert → outbox → signed POST to the tenant's endpoint (WireMock).
 * Test config: poll every second (the scheduler's minimum), backoff from 200 ms, at most 4 attempts.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class WebhookDeliveryTest {

    private static WireMockServer receiver;

    @Inject
    Fixtures fx;
    @Inject
    LedgerService ledger;
    @Inject
    DeliveryRepository deliveries;
    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;

    @BeforeAll
    static void startReceiver() {
        receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @Test
    void manyConcurrentCallsCrossingThresholdsDeliverExactlyOneSignedEventPerThreshold() throws Exception {
        String path = "/alerts/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        UUID tenant = fx.tenant();
        String secret = fx.webhook(tenant, receiver.baseUrl() + path);
        String budgetId = fx.budget(tenant, """
                {"scope": {"type": "tenant"}, "period": "total", "limitUsd": "1", "alertThresholds": [50, 80, 100]}""");
        UUID budget = UUID.fromString(budgetId);

        // 20 calls of USD 0.05 recorded at once: only all of them together reach 100 %. Each call's check must
        // see the calls recorded before it, or the last ones, running side by side, would all miss the crossing.
        int calls = 20;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            List<Future<Boolean>> recorded = new ArrayList<>();
            Instant at = Instant.now();
            for (int i = 0; i < calls; i++) {
                String request = "burst-" + UUID.randomUUID();
                recorded.add(pool.submit(() -> {
                    go.await();
                    return ledger.recordSettled(request, tenant, List.of(budget), 50_000, at);
                }));
            }
            go.countDown();
            for (Future<Boolean> f : recorded) {
                assertTrue(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        fx.admin(tenant).get("/v1/budgets/" + budgetId + "/alerts").then().statusCode(200)
                .body("alerts.threshold", contains(50, 80, 100));

        eventually(Duration.ofSeconds(20), "three deliveries are delivered", () -> countDelivered(tenant) == 3);
        Thread.sleep(2_200); // two more polls: nothing is sent again
        List<LoggedRequest> got = receiver.findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(3, got.size(), "exactly one delivery per threshold");

        Set<Integer> thresholds = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (LoggedRequest r : got) {
            String body = r.getBodyAsString();
            assertSignedBy(secret, r.getHeader("x-acc-signature"), body);
            JsonNode e = json.readTree(body);
            assertEquals("budget.threshold_reached", e.get("type").asText());
            assertEquals(e.get("id").asText(), r.getHeader("x-acc-event-id"));
            assertEquals("budget.threshold_reached", r.getHeader("x-acc-event-type"));
            assertEquals("application/json", r.getHeader("content-type"));
            assertEquals(budgetId, e.get("budget_id").asText());
            assertEquals(tenant.toString(), e.get("tenant_id").asText());
            assertEquals("tenant", e.get("scope").get("type").asText());
            assertEquals("total", e.get("period").asText());
            assertEquals("hard", e.get("mode").asText());
            assertTrue(e.get("period_end").isNull());
            assertEquals("1.000000", e.get("limit_usd").asText());
            int threshold = e.get("threshold").asInt();
            BigDecimal spent = new BigDecimal(e.get("spent_usd").asText());
            assertEquals(6, e.get("spent_usd").asText().split("\\.")[1].length(), "money as a 6-decimal string");
            assertTrue(spent.compareTo(BigDecimal.valueOf(threshold, 2)) >= 0, "spent " + spent + " at " + threshold + "%");
            assertTrue(Instant.parse(e.get("occurred_at").asText()).isAfter(Instant.now().minusSeconds(60)));
            thresholds.add(threshold);
            ids.add(e.get("id").asText());
        }
        assertEquals(Set.of(50, 80, 100), thresholds);
        assertEquals(3, ids.size(), "distinct event ids");

        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries?budgetId=" + budgetId).then().statusCode(200)
                .body("deliveries", hasSize(3))
                .body("deliveries.status", contains("delivered", "delivered", "delivered"))
                .body("deliveries.attempts", contains(1, 1, 1))
                .body("deliveries.attemptLog.flatten().statusCode", contains(204, 204, 204))
                .body("deliveries.event.type", contains("budget.threshold_reached", "budget.threshold_reached",
                        "budget.threshold_reached"));

        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metricAtLeast(metrics, "acc_budget_alerts_total{threshold=\"80\",type=\"threshold_reached\"}", 1), metrics);
        assertTrue(metricAtLeast(metrics, "acc_budget_webhook_deliveries_total{outcome=\"delivered\"}", 3));
    }

    @Test
    void retriesAfterServerErrorsThenSucceedsAndNeverSendsAgain() throws Exception {
        String path = "/flaky/" + UUID.randomUUID();
        String scenario = "flaky-" + path;
        receiver.stubFor(post(urlEqualTo(path)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("second"));
        receiver.stubFor(post(urlEqualTo(path)).inScenario(scenario).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        receiver.stubFor(post(urlEqualTo(path)).inScenario(scenario).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        UUID tenant = fx.tenant();
        String secret = fx.webhook(tenant, receiver.baseUrl() + path);
        UUID budget = UUID.fromString(fx.budget(tenant, """
                {"scope": {"type": "agent", "id": "planner"}, "period": "monthly", "limitUsd": "2", "alertThresholds": [50]}"""));
        assertTrue(ledger.recordSettled("r-" + UUID.randomUUID(), tenant, List.of(budget), 1_500_000, Instant.now()));

        eventually(Duration.ofSeconds(20), "the delivery succeeds", () -> countDelivered(tenant) == 1);
        Thread.sleep(2_200);
        List<LoggedRequest> got = receiver.findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(3, got.size(), "500, 503, then 200; nothing after the success");
        String body = got.get(0).getBodyAsString();
        for (int i = 0; i < 3; i++) {
            LoggedRequest r = got.get(i);
            assertEquals(body, r.getBodyAsString(), "the same body on every attempt");
            assertEquals(Integer.toString(i + 1), r.getHeader("x-acc-delivery-attempt"));
            assertSignedBy(secret, r.getHeader("x-acc-signature"), r.getBodyAsString());
        }
        JsonNode e = json.readTree(body);
        assertEquals("agent", e.get("scope").get("type").asText());
        assertEquals("planner", e.get("scope").get("id").asText());
        assertEquals("1.500000", e.get("spent_usd").asText());
        assertEquals("2.000000", e.get("limit_usd").asText());
        assertEquals("monthly", e.get("period").asText());

        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries").then().statusCode(200)
                .body("deliveries", hasSize(1))
                .body("deliveries[0].eventId", org.hamcrest.Matchers.equalTo(e.get("id").asText()))
                .body("deliveries[0].status", org.hamcrest.Matchers.equalTo("delivered"))
                .body("deliveries[0].attempts", org.hamcrest.Matchers.equalTo(3))
                .body("deliveries[0].nextAttemptAt", org.hamcrest.Matchers.nullValue())
                .body("deliveries[0].attemptLog.outcome", contains("retry", "retry", "delivered"))
                .body("deliveries[0].attemptLog.statusCode", contains(500, 503, 200))
                .body("deliveries[0].attemptLog.error", contains("HTTP 500", "HTTP 503", null));
        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries/" + e.get("id").asText()).then().statusCode(200)
                .body("event.threshold", org.hamcrest.Matchers.equalTo(50));
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metricAtLeast(metrics, "acc_budget_webhook_deliveries_total{outcome=\"retry\"}", 2));
    }

    @Test
    void givesUpAfterTheLastAttempt() throws Exception {
        String path = "/down/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(500)));
        UUID tenant = fx.tenant();
        fx.webhook(tenant, receiver.baseUrl() + path);
        UUID budget = UUID.fromString(fx.budget(tenant, """
                {"scope": {"type": "tenant"}, "period": "total", "limitUsd": "1", "alertThresholds": [10]}"""));
        ledger.recordSettled("r-" + UUID.randomUUID(), tenant, List.of(budget), 200_000, Instant.now());

        eventually(Duration.ofSeconds(20), "the delivery is given up", () -> !deliveries.ofTenant(tenant, null, "failed", 10).isEmpty());
        Thread.sleep(2_200);
        assertEquals(4, receiver.findAll(postRequestedFor(urlEqualTo(path))).size(), "max-attempts is 4 in tests");
        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries?status=failed").then().statusCode(200)
                .body("deliveries", hasSize(1))
                .body("deliveries[0].attemptLog.outcome", contains("retry", "retry", "retry", "failed"))
                .body("deliveries[0].lastStatusCode", org.hamcrest.Matchers.equalTo(500));
    }

    @Test
    void aDeliveryWhoseSenderDiedMidAttemptIsSentAgain() throws Exception {
        String path = "/recover/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        UUID tenant = fx.tenant();
        String secret = fx.webhook(tenant, receiver.baseUrl() + path);
        UUID eventId = UUID.randomUUID();
        String body = "{\"id\":\"" + eventId + "\",\"type\":\"budget.exhaustion_forecast\"}";
        // Enqueued and claimed for attempt 1 in one transaction, as a sender does just before it dies: the
        // claim holds the row for 700 ms and no outcome is ever recorded.
        QuarkusTransaction.requiringNew().run(() -> {
            deliveries.enqueue(eventId, tenant, null, "budget.exhaustion_forecast", body);
            sql("UPDATE budget_webhook_deliveries SET attempts = 1, next_attempt_at = now() + interval '700 milliseconds' "
                    + "WHERE event_id = '" + eventId + "'");
        });

        eventually(Duration.ofSeconds(20), "the delivery is recovered", () -> countDelivered(tenant) == 1);
        List<LoggedRequest> got = receiver.findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(1, got.size());
        assertEquals(body, got.get(0).getBodyAsString());
        assertEquals("2", got.get(0).getHeader("x-acc-delivery-attempt"));
        assertSignedBy(secret, got.get(0).getHeader("x-acc-signature"), body);
        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries/" + eventId).then().statusCode(200)
                .body("attempts", org.hamcrest.Matchers.equalTo(2))
                .body("attemptLog.attempt", contains(2))
                .body("budgetId", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aTenantWithoutAWebhookGetsAlertsButNoDeliveries() {
        UUID tenant = fx.tenant();
        String id = fx.budget(tenant, """
                {"scope": {"type": "tenant"}, "period": "total", "limitUsd": "1", "alertThresholds": [10]}""");
        ledger.recordSettled("r-" + UUID.randomUUID(), tenant, List.of(UUID.fromString(id)), 500_000, Instant.now());
        fx.admin(tenant).get("/v1/budgets/" + id + "/alerts").then().statusCode(200).body("alerts", hasSize(1));
        assertNull(deliveries.ofTenant(tenant, null, null, 10).stream().findFirst().orElse(null));
    }

    private long countDelivered(UUID tenant) {
        return deliveries.ofTenant(tenant, null, "delivered", 100).size();
    }

    private void sql(String statement) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(statement)) {
            q.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Verifies the header as a receiver would, independently of the service's own code. */
    static void assertSignedBy(String secret, String header, String body) throws Exception {
        String[] parts = header.split(",");
        assertEquals(2, parts.length, header);
        assertTrue(parts[0].startsWith("t=") && parts[1].startsWith("v1="), header);
        long t = Long.parseLong(parts[0].substring(2));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - t) <= 300, "timestamp within the replay window");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, parts[1].substring(3), "signature");
    }

    /** Whether the Prometheus exposition has {@code series} with a value of at least {@code min}. */
    static boolean metricAtLeast(String exposition, String series, double min) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim()) >= min;
            }
        }
        return false;
    }
}
