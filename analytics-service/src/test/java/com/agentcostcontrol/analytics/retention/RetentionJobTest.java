package com.agentcostcontrol.analytics.retention;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.analytics.Ledger;
import com.agentcostcontrol.analytics.UsageEventBuilder;
import com.agentcostcontrol.analytics.repository.UsageLedgerRepository;
import com.agentcostcontrol.analytics.service.StoredCalls;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.agentcostcontrol.testing.TestIdentities;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The retention job against real Postgres: raw calls older than 30 days and rollup rows older than 400 days go, in
 * batches of 10, under the advisory lock; the rollup keeps answering the spend API for days whose calls are gone.
 */
@QuarkusTest
@TestProfile(RetentionProfile.class)
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_analytics"), @ResourceArg(name = "redisDb", value = "5") })
class RetentionJobTest {

    private static final String SPEND = "/v1/analytics/spend";

    @Inject
    RetentionJob job;
    @Inject
    RetentionPolicy policy;
    @Inject
    RetentionRepository repository;
    @Inject
    UsageLedgerRepository ledgerRepository;
    @Inject
    Ledger ledger;
    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry metrics;

    final UUID tenant = UUID.randomUUID();
    Instant horizon;

    @BeforeEach
    void emptyTables() {
        update("DELETE FROM analytics_usage_calls");
        update("DELETE FROM analytics_usage_daily");
        horizon = policy.callsHorizon().orElseThrow();
    }

    @Test
    void horizonIsTheUtcMidnightThirtyDaysBeforeToday() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertEquals(today.minusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant(), horizon);
        assertEquals(today.minusDays(400), policy.rollupHorizon().orElseThrow());
    }

    @Test
    void deletesCallsBeforeTheHorizonKeepsTheRestAndTheRollupStillAnswers() {
        LocalDate oldDay = LocalDate.ofInstant(horizon, ZoneOffset.UTC).minusDays(10);
        Instant oldNoon = oldDay.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(12));
        store(UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").tokens(100, 0, 0, 0, 10).cost(1_234L)
                .at(oldNoon));
        store(UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").tokens(50, 5, 0, 0, 20).cost(2_000L)
                .at(oldNoon.plusSeconds(60)));
        store(UsageEventBuilder.call(tenant).served("claude-sonnet-4-5", "anthropic").tokens(1, 0, 0, 0, 1)
                .cost(250_000L).at(oldNoon.plusSeconds(120)));
        // The boundary: the last millisecond before the horizon goes, the horizon itself stays.
        String lastOld = store(UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").cost(1L)
                .at(horizon.minusMillis(1)));
        String first = store(UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").cost(1L).at(horizon));
        String recent = store(UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").cost(7L)
                .at(Instant.now().minus(Duration.ofDays(5))));
        String query = "groupBy=model&from=" + oldDay + "&to=" + oldDay;
        String before = spend(query);
        double deletedBefore = deleted(RetentionJob.CALLS_TABLE);

        RetentionJob.Result result = job.run();

        assertTrue(result.ran());
        assertEquals(4, result.calls().rows());
        assertEquals(4.0, deleted(RetentionJob.CALLS_TABLE) - deletedBefore);
        assertEquals(0, ledger.rowsOfRequest(lastOld));
        assertEquals(1, ledger.rowsOfRequest(first));
        assertEquals(1, ledger.rowsOfRequest(recent));
        assertEquals(2, ledger.rowsOfTenant(tenant));
        // The old day's spend is answered from the rollup exactly as before its calls were deleted.
        assertEquals(before, spend(query));
        JsonPath old = JsonPath.from(before);
        assertEquals(2, old.getList("rows").size());
        assertEquals("0.250000", old.getString("rows.find { it.group == 'claude-sonnet-4-5' }.costUsd"));
        assertEquals(2, old.getInt("rows.find { it.group == 'gpt-4o-mini' }.requests"));
        assertEquals(155, old.getInt("rows.find { it.group == 'gpt-4o-mini' }.inputTokens"));
        assertEquals("0.003234", old.getString("rows.find { it.group == 'gpt-4o-mini' }.costUsd"));
        // A range across the horizon: its old whole days from the rollup, the recent calls as well.
        JsonPath across = given().header(TestIdentities.header(), TestIdentities.tenantViewer(tenant.toString()))
                .queryParam("groupBy", "provider").queryParam("from", oldDay.toString()).get(SPEND).then()
                .statusCode(200).extract().jsonPath();
        assertEquals("0.250000", across.getString("rows.find { it.group == 'anthropic' }.costUsd"));
        assertEquals(5, across.getInt("rows.find { it.group == 'openai' }.requests"));
        assertEquals("0.003243", across.getString("rows.find { it.group == 'openai' }.costUsd"));
    }

    @Test
    void aPartialDayBeforeTheHorizonIsRefusedNotAnsweredWrong() {
        Instant old = horizon.minus(Duration.ofDays(3)).plus(Duration.ofHours(6));
        given().header(TestIdentities.header(), TestIdentities.tenantViewer(tenant.toString()))
                .queryParam("from", old.toString()).queryParam("to", horizon.toString()).get(SPEND).then()
                .statusCode(400).body("error.field", equalTo("from"))
                .body("error.message", containsString("kept only as daily sums"));
        given().header(TestIdentities.header(), TestIdentities.tenantViewer(tenant.toString()))
                .queryParam("from", horizon.minus(Duration.ofDays(5)).toString()).queryParam("to", old.toString())
                .get(SPEND).then().statusCode(400).body("error.field", equalTo("to"));
        // Partial days after the horizon are still answered from the raw calls.
        given().header(TestIdentities.header(), TestIdentities.tenantViewer(tenant.toString()))
                .queryParam("from", horizon.plus(Duration.ofHours(6)).toString()).get(SPEND).then().statusCode(200);
    }

    @Test
    void deletesInBoundedBatchesUntilNothingOldIsLeft() {
        Instant old = horizon.minus(Duration.ofDays(2));
        for (int i = 0; i < 35; i++) {
            store(UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").cost(1L).at(old.plusSeconds(i)));
        }

        RetentionJob.Result result = job.run();

        assertEquals(new RetentionJob.Deleted(35, 4), result.calls());
        assertEquals(0, ledger.rowsOfTenant(tenant));
        // Their sums stay in the rollup (one row per key: each test call has its own key).
        assertEquals(35, count("SELECT SUM(requests) FROM analytics_usage_daily WHERE tenant_id = ?", tenant));
        assertEquals(35, count("SELECT SUM(cost_micros) FROM analytics_usage_daily WHERE tenant_id = ?", tenant));
    }

    @Test
    void deletesRollupDaysBeforeTheRollupHorizonOnly() {
        LocalDate rollupHorizon = policy.rollupHorizon().orElseThrow();
        store(UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").cost(5L)
                .at(rollupHorizon.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600)));
        store(UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").cost(6L)
                .at(rollupHorizon.atStartOfDay(ZoneOffset.UTC).toInstant()));
        double rollupDeletedBefore = deleted(RetentionJob.ROLLUP_TABLE);

        RetentionJob.Result result = job.run();

        assertEquals(2, result.calls().rows());
        assertEquals(new RetentionJob.Deleted(1, 1), result.rollup());
        assertEquals(1.0, deleted(RetentionJob.ROLLUP_TABLE) - rollupDeletedBefore);
        assertEquals(0, count("SELECT COUNT(*) FROM analytics_usage_daily WHERE tenant_id = ? AND day < ?", tenant,
                rollupHorizon));
        assertEquals(6, count("SELECT cost_micros FROM analytics_usage_daily WHERE tenant_id = ? AND day = ?", tenant,
                rollupHorizon));
    }

    @Test
    void anotherInstanceHoldingTheLockMeansThisRunDeletesNothing() throws SQLException {
        String old = store(UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").cost(1L)
                .at(horizon.minus(Duration.ofDays(1))));
        try (Connection other = dataSource.getConnection()) {
            assertTrue(query(other, "SELECT pg_try_advisory_lock(" + RetentionRepository.LOCK_KEY + ")"));

            RetentionJob.Result skipped = job.run();

            assertFalse(skipped.ran());
            assertEquals(0, skipped.calls().rows());
            assertEquals(1, ledger.rowsOfRequest(old));
            // Nor can a second run take the lock while the first holds it.
            try (RetentionRepository.Session held = repository.tryLock().orElse(null)) {
                assertEquals(null, held);
            }
            assertTrue(query(other, "SELECT pg_advisory_unlock(" + RetentionRepository.LOCK_KEY + ")"));
        }

        RetentionJob.Result ran = job.run();

        assertTrue(ran.ran());
        assertEquals(1, ran.calls().rows());
        assertEquals(0, ledger.rowsOfRequest(old));
        // The run released the lock: another session can take it now.
        try (Connection other = dataSource.getConnection()) {
            assertTrue(query(other, "SELECT pg_try_advisory_lock(" + RetentionRepository.LOCK_KEY + ")"));
            assertTrue(query(other, "SELECT pg_advisory_unlock(" + RetentionRepository.LOCK_KEY + ")"));
        }
    }

    @Test
    void gaugesTellTheAgeOfTheOldestRowKept() {
        Instant fiveDaysAgo = Instant.now().minus(Duration.ofDays(5));
        store(UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").cost(1L).at(fiveDaysAgo));

        job.run();

        double callAge = metrics.get("acc.analytics.retention.oldest.age.seconds").tag("table", "analytics_usage_calls")
                .gauge().value();
        assertEquals(5 * 86_400.0, callAge, 60.0);
        double dayAge = metrics.get("acc.analytics.retention.oldest.age.seconds").tag("table", "analytics_usage_daily")
                .gauge().value();
        Instant dayStart = LocalDate.ofInstant(fiveDaysAgo, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        assertEquals(Duration.between(dayStart, Instant.now()).toSeconds(), dayAge, 60.0);
    }

    @Test
    void theConsumerDropsAnEventTooOldToDeduplicate() {
        double expiredBefore = metrics.get("acc.analytics.usage.expired").counter().count();
        UsageEventBuilder stale = UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").cost(9L)
                .at(horizon.plus(Duration.ofHours(12)));
        UsageEventBuilder fresh = UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").cost(9L)
                .at(horizon.plus(Duration.ofDays(2)));
        ledger.xadd(stale);
        ledger.xadd(fresh);

        Ledger.eventually(Ledger.WAIT, "the fresh event is stored", () -> ledger.rowsOfRequest(fresh.requestId()) == 1);
        Ledger.eventually(Ledger.WAIT, "the stale event is counted as expired",
                () -> metrics.get("acc.analytics.usage.expired").counter().count() == expiredBefore + 1);
        assertEquals(0, ledger.rowsOfRequest(stale.requestId()));
        assertEquals(1, count("SELECT COALESCE(SUM(requests), 0) FROM analytics_usage_daily WHERE tenant_id = ?",
                tenant));
    }

    private String store(UsageEventBuilder event) {
        assertTrue(ledgerRepository.insert(StoredCalls.of(event)));
        return event.requestId();
    }

    private String spend(String query) {
        return given().header(TestIdentities.header(), TestIdentities.tenantViewer(tenant.toString()))
                .get(SPEND + "?" + query).then().statusCode(200).extract().asString();
    }

    private double deleted(String table) {
        return metrics.get("acc.analytics.retention.deleted").tag("table", table).counter().count();
    }

    private long count(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean query(Connection c, String sql) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
