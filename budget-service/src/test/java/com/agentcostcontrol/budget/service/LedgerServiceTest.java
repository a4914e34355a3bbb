package com.agentcostcontrol.budget.service;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.Fixtures;
import com.agentcostcontrol.budget.SettledCall;
import com.agentcostcontrol.budget.repository.LedgerRepository;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class LedgerServiceTest {

    @Inject
    Fixtures fx;
    @Inject
    LedgerService ledgerService;
    @Inject
    LedgerRepository ledger;

    @Test
    void recordsEachRequestOnce() {
        UUID tenant = fx.tenant();
        UUID budget = UUID.fromString(fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"total\",\"limitUsd\":\"10\"}"));
        Instant at = Instant.now();
        String request = "req-" + UUID.randomUUID();
        assertTrue(ledgerService.recordSettled(new SettledCall(request, tenant, List.of(budget), null, "planner", "gpt-4o",
                1_234_567, at)));
        assertFalse(ledgerService.recordSettled(request, tenant, List.of(budget), 1_234_567, at));
        assertFalse(ledgerService.recordSettled(request, tenant, List.of(budget), 9_999_999, at), "a replay with another figure");
        assertEquals(1_234_567, ledger.sum(tenant, budget, Instant.EPOCH, null));
        assertTrue(ledgerService.recordSettled("req-" + UUID.randomUUID(), tenant, List.of(budget), 1, at));
        assertEquals(1_234_568, ledger.sum(tenant, budget, Instant.EPOCH, null));
    }

    @Test
    void sumsOnlyTheBudgetAndPeriodAsked() {
        UUID tenant = fx.tenant();
        UUID a = UUID.fromString(fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"10\"}"));
        UUID b = UUID.fromString(fx.budget(tenant, "{\"scope\":{\"type\":\"agent\",\"id\":\"x\"},\"period\":\"daily\",\"limitUsd\":\"10\"}"));
        Instant now = Instant.now();
        ledgerService.recordSettled("r-" + UUID.randomUUID(), tenant, List.of(a, b), 100, now);
        ledgerService.recordSettled("r-" + UUID.randomUUID(), tenant, List.of(a), 20, now);
        ledgerService.recordSettled("r-" + UUID.randomUUID(), tenant, List.of(a), 3, now.minus(Duration.ofDays(2)));
        assertEquals(120, ledger.sum(tenant, a, now.minus(Duration.ofHours(1)), null));
        assertEquals(123, ledger.sum(tenant, a, Instant.EPOCH, null));
        assertEquals(100, ledger.sum(tenant, b, Instant.EPOCH, null));
        assertEquals(3, ledger.sum(tenant, a, Instant.EPOCH, now.minus(Duration.ofDays(1))));
    }

    @Test
    void alertThresholdsFireOncePerPeriod() {
        UUID tenant = fx.tenant();
        String id = fx.budget(tenant, """
                {"scope": {"type": "tenant"}, "period": "daily", "limitUsd": "1", "alertThresholds": [50, 80, 100]}""");
        UUID budget = UUID.fromString(id);
        Instant now = Instant.now();

        record(tenant, budget, 400_000, now);
        fx.admin(tenant).get("/v1/budgets/" + id + "/alerts").then().statusCode(200).body("alerts", hasSize(0));
        record(tenant, budget, 150_000, now);
        fx.admin(tenant).get("/v1/budgets/" + id + "/alerts").then().statusCode(200)
                .body("alerts.threshold", contains(50)).body("alerts[0].spentUsd", org.hamcrest.Matchers.equalTo("0.550000"));
        record(tenant, budget, 300_000, now);
        record(tenant, budget, 300_000, now);
        fx.admin(tenant).get("/v1/budgets/" + id + "/alerts").then().statusCode(200).body("alerts.threshold", contains(50, 80, 100));

        // The next day is a new period: the 50% threshold fires again, once.
        Instant tomorrow = now.plus(Duration.ofDays(1));
        record(tenant, budget, 600_000, tomorrow);
        record(tenant, budget, 10_000, tomorrow);
        fx.admin(tenant).get("/v1/budgets/" + id + "/alerts").then().statusCode(200).body("alerts.threshold", contains(50, 80, 100, 50));
    }

    @Test
    void anotherTenantsBudgetIdInACallIsIgnoredForAlerts() {
        UUID victim = fx.tenant();
        String id = fx.budget(victim, """
                {"scope": {"type": "tenant"}, "period": "total", "limitUsd": "1", "alertThresholds": [10]}""");
        record(fx.tenant(), UUID.fromString(id), 900_000, Instant.now());
        fx.admin(victim).get("/v1/budgets/" + id + "/alerts").then().statusCode(200).body("alerts", hasSize(0));
    }

    @Test
    void rejectsMalformedCalls() {
        UUID tenant = fx.tenant();
        assertThrows(IllegalArgumentException.class,
                () -> ledgerService.recordSettled("bad id with spaces", tenant, List.of(), 1, Instant.now()));
        assertThrows(IllegalArgumentException.class,
                () -> ledgerService.recordSettled("ok", tenant, List.of(), -5, Instant.now()));
    }

    private void record(UUID tenant, UUID budget, long micros, Instant at) {
        assertTrue(ledgerService.recordSettled("r-" + UUID.randomUUID(), tenant, List.of(budget), micros, at));
    }
}
