package com.agentcostcontrol.analytics.retention;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Raw calls kept 30 days, the rollup 400, batches of 10 rows; the schedule stays off, tests run the job. */
public class RetentionProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("acc.analytics.retention.calls", "30d", "acc.analytics.retention.rollup", "400d",
                "acc.analytics.retention.batch-size", "10");
    }
}
