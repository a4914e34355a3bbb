package com.agentcostcontrol.analytics;

import com.agentcostcontrol.testing.AbstractReadinessRecoveryTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Readiness goes DOWN while Postgres or Redis is cut off and UP again when it returns, without a restart. */
@QuarkusTest
@TestProfile(OutageProfile.class)
class ReadinessRecoveryTest extends AbstractReadinessRecoveryTest {
}
