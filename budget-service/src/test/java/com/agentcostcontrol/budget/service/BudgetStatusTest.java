package com.agentcostcontrol.budget.service;

import static com.agentcostcontrol.budget.core.Money.formatUsd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.Fixtures;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.budget.core.BudgetMode;
import com.agentcostcontrol.budget.core.BudgetPeriod;
import com.agentcostcontrol.budget.core.BudgetScope;
import com.agentcostcontrol.budget.core.Money;
import com.agentcostcontrol.budget.core.PeriodWindow;
import com.agentcostcontrol.budget.core.Periods;
import com.agentcostcontrol.budget.core.Reservation;
import com.agentcostcontrol.budget.core.ReserveOutcome;
import com.agentcostcontrol.budget.repository.BudgetRepository;
import com.agentcostcontrol.budget.service.BudgetService;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class BudgetStatusTest {

    @Inject
    Fixtures fx;
    @Inject
    BudgetEngine engine;
    @Inject
    BudgetService budgets;
    @Inject
    BudgetRepository repository;
    @Inject
    LedgerService ledgerService;

    /** What the proxy does for one call: reserve, settle; then the usage consumer records it. */
    private Reservation spend(BudgetDefinition d, long reserve, Long actual, Instant at) throws Exception {
        String request = "req-" + UUID.randomUUID();
        Reservation r = ((ReserveOutcome.Admitted) engine.reserve(d.tenantId(), request, reserve, List.of(d), at)
                .toCompletableFuture().get(5, TimeUnit.SECONDS)).reservation();
        if (actual != null) {
            engine.settle(r, actual).toCompletableFuture().get(5, TimeUnit.SECONDS);
            ledgerService.recordSettled(request, UUID.fromString(d.tenantId()), List.of(UUID.fromString(d.id())), actual, at);
        }
        return r;
    }

    @Test
    void statusShowsLiveCountersPeriodAndForecast() throws Exception {
        UUID tenant = fx.tenant();
        String id = fx.budget(tenant, """
                {"scope": {"type": "tenant"}, "period": "daily", "limitUsd": "10", "timezone": "Asia/Kolkata"}""");
        BudgetDefinition d = budgets.find(UUID.fromString(id)).orElseThrow().definition();
        Instant now = Instant.now();
        spend(d, 2_000_000, 600_000L, now);
        spend(d, 2_000_000, 400_001L, now);
        spend(d, 1_500_000, null, now); // still running: reserved

        Instant before = Instant.now();
        JsonPath s = fx.admin(tenant).get("/v1/budgets/" + id + "/status").then().statusCode(200).extract().jsonPath();
        Instant after = Instant.now();
        assertEquals("10.000000", s.getString("limitUsd"));
        assertEquals("1.000001", s.getString("spentUsd"));
        assertEquals("1.500000", s.getString("reservedUsd"));
        assertEquals("7.499999", s.getString("remainingUsd"));
        PeriodWindow today = Periods.window(BudgetPeriod.DAILY, ZoneId.of("Asia/Kolkata"), now);
        assertEquals(today.start(), Instant.parse(s.getString("periodStart")));
        assertEquals(today.end(), Instant.parse(s.getString("periodEnd")));

        // The budget counts for seconds only, so both rates use the minimum span (1 min): 1.000001 USD per minute.
        long spent = 1_000_001;
        long projectedLow = spent + Math.round(spent * (Duration.between(after, today.end()).toMillis() / 60_000.0)) - 1;
        long projectedHigh = spent + Math.round(spent * (Duration.between(before, today.end()).toMillis() / 60_000.0)) + 1;
        long projected = Money.parseUsd(s.getString("forecast.projectedUsd"));
        assertTrue(projected >= projectedLow && projected <= projectedHigh, projected + " not in " + projectedLow + ".." + projectedHigh);
        // 8.999999 USD left at 1.000001 USD/min: exhausted in about 9 minutes (if that is still today).
        Duration toExhaustion = Duration.ofMillis((long) Math.ceil(8_999_999 / (spent / 60_000.0)));
        Instant expected = before.plus(toExhaustion);
        if (expected.isBefore(today.end())) {
            Instant exhaustion = Instant.parse(s.getString("forecast.exhaustionAt"));
            assertTrue(!exhaustion.isBefore(before.plus(toExhaustion).minusSeconds(1))
                    && !exhaustion.isAfter(after.plus(toExhaustion).plusSeconds(1)), "exhaustion " + exhaustion);
        } else {
            assertNull(s.getString("forecast.exhaustionAt"));
        }
    }

    @Test
    void theRecentBurnRateWinsWhenSpendingAccelerates() throws Exception {
        UUID tenant = fx.tenant();
        // A total budget counting for 10 days (created directly with a past creation time).
        Instant created = Instant.now().minus(Duration.ofDays(10));
        BudgetDefinition d = new BudgetDefinition(UUID.randomUUID().toString(), tenant.toString(), BudgetScope.tenant(),
                BudgetPeriod.TOTAL, 20_000_000, BudgetMode.HARD, List.of(), ZoneId.of("UTC"), created);
        repository.insert(d, created);
        engine.markSynced(tenant.toString()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        spend(d, 10_000_000, 10_000_000L, Instant.now().minus(Duration.ofDays(9)));
        spend(d, 1_000_000, 1_000_000L, Instant.now().minus(Duration.ofMinutes(30)));

        Instant before = Instant.now();
        JsonPath s = fx.admin(tenant).get("/v1/budgets/" + d.id() + "/status").then().statusCode(200).extract().jsonPath();
        assertEquals("11.000000", s.getString("spentUsd"));
        assertEquals(created.toEpochMilli(), Instant.parse(s.getString("periodStart")).toEpochMilli());
        assertNull(s.getString("periodEnd"));
        assertEquals("11.000000", s.getString("forecast.projectedUsd"), "a total budget has no period end to project to");
        // Whole-life rate: 11 USD / 10 days; last hour: 1 USD / h. 9 USD left at 1 USD/h: about 9 hours.
        Instant exhaustion = Instant.parse(s.getString("forecast.exhaustionAt"));
        Duration eta = Duration.between(before, exhaustion);
        assertTrue(Math.abs(eta.minus(Duration.ofHours(9)).toSeconds()) < 60, "eta " + eta);
    }

    @Test
    void anExhaustedBudgetSaysSoNow() throws Exception {
        UUID tenant = fx.tenant();
        String id = fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"monthly\",\"limitUsd\":\"0.5\"}");
        BudgetDefinition d = budgets.find(UUID.fromString(id)).orElseThrow().definition();
        spend(d, 500_000, 500_000L, Instant.now());
        Instant before = Instant.now();
        JsonPath s = fx.admin(tenant).get("/v1/budgets/" + id + "/status").then().statusCode(200).extract().jsonPath();
        assertEquals(formatUsd(0), s.getString("remainingUsd"));
        Instant exhaustion = Instant.parse(s.getString("forecast.exhaustionAt"));
        assertTrue(Math.abs(Duration.between(before, exhaustion).toSeconds()) < 5);
    }

    @Test
    void aBudgetWithoutSpendForecastsNothing() {
        UUID tenant = fx.tenant();
        String id = fx.budget(tenant, "{\"scope\":{\"type\":\"agent\",\"id\":\"idle\"},\"period\":\"weekly\",\"limitUsd\":\"3\"}");
        JsonPath s = fx.admin(tenant).get("/v1/budgets/" + id + "/status").then().statusCode(200).extract().jsonPath();
        assertEquals("0.000000", s.getString("spentUsd"));
        assertEquals("0.000000", s.getString("reservedUsd"));
        assertEquals("3.000000", s.getString("remainingUsd"));
        assertEquals("0.000000", s.getString("forecast.projectedUsd"));
        assertNull(s.getString("forecast.exhaustionAt"));
        assertTrue(s.getMap("forecast").containsKey("exhaustionAt"), "exhaustionAt is present as null");
    }
}
