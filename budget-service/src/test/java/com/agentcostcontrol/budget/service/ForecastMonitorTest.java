package com.agentcostcontrol.budget.service;

import static com.agentcostcontrol.budget.Fixtures.eventually;
import static com.agentcostcontrol.budget.service.WebhookDeliveryTest.assertSignedBy;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.Fixtures;
import com.agentcostcontrol.budget.repository.BudgetRepository;
import com.agentcostcontrol.budget.repository.DeliveryRepository;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The periodic forecast: exhaustion alerts once per period, and per-budget gauges on /q/metrics. The job
 * runs at a chosen instant (2030-06-15 12:00 UTC, a daily budget), so the figures are exact.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class ForecastMonitorTest {

    private static final Instant NOON = Instant.parse("2030-06-15T12:00:00Z");
    private static WireMockServer receiver;

    @Inject
    Fixtures fx;
    @Inject
    LedgerService ledger;
    @Inject
    CounterSync counters;
    @Inject
    BudgetRepository budgets;
    @Inject
    DeliveryRepository deliveries;
    @Inject
    ForecastMonitor monitor;
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
    void firesAnExhaustionForecastOncePerPeriodAndExportsGauges() throws Exception {
        String path = "/forecast/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        UUID tenant = fx.tenant();
        String secret = fx.webhook(tenant, receiver.baseUrl() + path);
        String id = fx.budget(tenant, """
                {"scope": {"type": "model", "id": "gpt-4o"}, "period": "daily", "limitUsd": "10", "timezone": "UTC"}""");
        String quiet = fx.budget(tenant, """
                {"scope": {"type": "tenant"}, "period": "daily", "limitUsd": "100", "timezone": "UTC"}""");
        UUID budgetId = UUID.fromString(id);
        UUID quietId = UUID.fromString(quiet);

        // USD 3 in the last hour (USD 3/h): 3 + 3 x 12 h left = USD 39 projected against a limit of 10.
        // The quiet budget: USD 1 at 01:00, 11 h ago, so its rate is 1/12 per hour: 1 + 1 = USD 2 projected.
        for (int m : new int[] {30, 20, 10}) {
            ledger.recordSettled("f-" + UUID.randomUUID(), tenant, List.of(budgetId), 1_000_000, NOON.minusSeconds(60L * m));
        }
        ledger.recordSettled("q-" + UUID.randomUUID(), tenant, List.of(quietId), 1_000_000, NOON.minus(Duration.ofHours(11)));
        counters.rebuild(tenant.toString(), List.of(definition(budgetId), definition(quietId)), NOON);

        ForecastMonitor.Report report = monitor.run(NOON);
        assertTrue(report.alerts() >= 1, "report " + report);
        eventually(Duration.ofSeconds(20), "the forecast is delivered",
                () -> deliveries.ofTenant(tenant, null, "delivered", 10).size() == 1);

        List<LoggedRequest> got = receiver.findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(1, got.size());
        String body = got.get(0).getBodyAsString();
        assertSignedBy(secret, got.get(0).getHeader("x-acc-signature"), body);
        JsonNode e = json.readTree(body);
        assertEquals("budget.exhaustion_forecast", e.get("type").asText());
        assertEquals(id, e.get("budget_id").asText());
        assertEquals("model", e.get("scope").get("type").asText());
        assertEquals("gpt-4o", e.get("scope").get("id").asText());
        assertEquals("daily", e.get("period").asText());
        assertEquals("2030-06-15T00:00:00Z", e.get("period_start").asText());
        assertEquals("2030-06-16T00:00:00Z", e.get("period_end").asText());
        assertEquals("3.000000", e.get("spent_usd").asText());
        assertEquals("10.000000", e.get("limit_usd").asText());
        assertEquals("39.000000", e.get("projected_usd").asText());
        // 7 USD left at 3 USD/h: 2 h 20 min after noon (rounded up to the millisecond).
        assertTrue(e.get("exhaustion_at").asText().startsWith("2030-06-15T14:20:00"), e.get("exhaustion_at").asText());
        assertFalse(e.has("threshold"));

        fx.admin(tenant).get("/v1/budgets/" + id + "/alerts").then().statusCode(200)
                .body("alerts", hasSize(0))
                .body("forecastAlerts", hasSize(1))
                .body("forecastAlerts[0].projectedUsd", equalTo("39.000000"))
                .body("forecastAlerts[0].periodStart", equalTo("2030-06-15T00:00:00Z"));
        fx.admin(tenant).get("/v1/budgets/" + quiet + "/alerts").then().statusCode(200).body("forecastAlerts", hasSize(0));

        // Gauges of both budgets, tagged with budget and tenant.
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        String tags = "{budget_id=\"" + id + "\",tenant_id=\"" + tenant + "\"}";
        assertEquals(3.0, gauge(metrics, "acc_budget_spent_usd" + tags));
        assertEquals(10.0, gauge(metrics, "acc_budget_limit_usd" + tags));
        assertEquals(39.0, gauge(metrics, "acc_budget_projected_usd" + tags));
        assertEquals(8400.001, gauge(metrics, "acc_budget_exhaustion_seconds" + tags), 0.0005);
        String quietTags = "{budget_id=\"" + quiet + "\",tenant_id=\"" + tenant + "\"}";
        assertEquals(1.0, gauge(metrics, "acc_budget_spent_usd" + quietTags));
        assertEquals(100.0, gauge(metrics, "acc_budget_limit_usd" + quietTags));
        assertEquals(2.0, gauge(metrics, "acc_budget_projected_usd" + quietTags));
        assertEquals(Double.POSITIVE_INFINITY, gauge(metrics, "acc_budget_exhaustion_seconds" + quietTags));

        // A second run in the same period fires nothing new, and a later run in it neither.
        monitor.run(NOON);
        monitor.run(NOON.plus(Duration.ofHours(3)));
        Thread.sleep(2_200);
        assertEquals(1, receiver.findAll(postRequestedFor(urlEqualTo(path))).size());
        fx.admin(tenant).get("/v1/budgets/" + id + "/alerts").then().statusCode(200).body("forecastAlerts", hasSize(1));

        // A deleted budget's series disappear at the next run.
        fx.admin(tenant).delete("/v1/budgets/" + quiet).then().statusCode(204);
        monitor.run(NOON);
        String after = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(after.contains(quietTags), "series of a deleted budget");
        assertTrue(after.contains("acc_budget_limit_usd" + tags));
    }

    @Test
    void noForecastAlertBeforeTheMinimumObservationOrForTotalBudgets() {
        UUID tenant = fx.tenant();
        fx.webhook(tenant, receiver.baseUrl() + "/never");
        String daily = fx.budget(tenant, """
                {"scope": {"type": "agent", "id": "a"}, "period": "daily", "limitUsd": "1", "timezone": "UTC",
                 "alertThresholds": []}""");
        String total = fx.budget(tenant, """
                {"scope": {"type": "agent", "id": "b"}, "period": "total", "limitUsd": "1", "alertThresholds": []}""");
        UUID dailyId = UUID.fromString(daily);
        UUID totalId = UUID.fromString(total);
        // Threshold alerts are off (alertThresholds []), so any delivery would be a forecast alert.
        // 30 minutes into the day, USD 0.50 spent: projected far above the limit, but observed for too short.
        Instant early = Instant.parse("2030-07-01T00:30:00Z");
        ledger.recordSettled("e-" + UUID.randomUUID(), tenant, List.of(dailyId, totalId), 500_000, early.minusSeconds(60));
        counters.rebuild(tenant.toString(), List.of(definition(dailyId), definition(totalId)), early);
        monitor.run(early);
        fx.admin(tenant).get("/v1/budgets/" + daily + "/alerts").then().statusCode(200).body("forecastAlerts", hasSize(0));
        fx.admin(tenant).get("/v1/budgets/" + total + "/alerts").then().statusCode(200).body("forecastAlerts", hasSize(0));
        assertTrue(deliveries.ofTenant(tenant, null, null, 10).isEmpty());
    }

    private com.agentcostcontrol.budget.core.BudgetDefinition definition(UUID id) {
        return budgets.find(id).map(Budget::definition).orElseThrow();
    }

    private static double gauge(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                String v = line.substring(series.length() + 1).trim();
                return v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
            }
        }
        throw new AssertionError("no series " + series + " on /q/metrics");
    }
}
