package com.agentcostcontrol.proxy;

import com.agentcostcontrol.testing.AbstractReadinessRecoveryTest;
import com.agentcostcontrol.testing.DependencyOutageProfile;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Readiness goes DOWN while Postgres or Redis is cut off and UP again when it returns, without a restart. */
@QuarkusTest
@TestProfile(ReadinessRecoveryTest.Outage.class)
class ReadinessRecoveryTest extends AbstractReadinessRecoveryTest {

    public static class Outage extends DependencyOutageProfile {
        public Outage() {
            super("acc_test_proxy", 1);
        }
    }
}
