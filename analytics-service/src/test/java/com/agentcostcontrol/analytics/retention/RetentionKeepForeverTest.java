package com.agentcostcontrol.analytics.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.analytics.Ledger;
import com.agentcostcontrol.analytics.UsageEventBuilder;
import com.agentcostcontrol.analytics.repository.UsageLedgerRepository;
import com.agentcostcontrol.analytics.service.StoredCalls;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;

/** The test profile's retention of 0 (calls and rollup): a run keeps every row, however old. */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_analytics"), @ResourceArg(name = "redisDb", value = "5") })
class RetentionKeepForeverTest {

    @Inject
    RetentionJob job;
    @Inject
    UsageLedgerRepository ledgerRepository;
    @Inject
    Ledger ledger;
    @Inject
    Scheduler scheduler;

    @Test
    void retentionZeroKeepsEverything() {
        UUID tenant = UUID.randomUUID();
        UsageEventBuilder ancient = UsageEventBuilder.call(tenant).served("gpt-4o-mini", "openai").cost(3L)
                .at(Instant.parse("2019-01-01T10:00:00Z"));
        assertTrue(ledgerRepository.insert(StoredCalls.of(ancient)));

        RetentionJob.Result result = job.run();

        assertEquals(new RetentionJob.Result(true, RetentionJob.Deleted.NONE, RetentionJob.Deleted.NONE), result);
        assertEquals(1, ledger.rowsOfRequest(ancient.requestId()));
    }

    @Test
    void theJobIsScheduled() {
        assertTrue(scheduler.getScheduledJobs().stream().anyMatch(t -> t.getId().contains("RetentionJob")),
                () -> "scheduled jobs: " + scheduler.getScheduledJobs().stream().map(t -> t.getId()).toList());
    }
}
