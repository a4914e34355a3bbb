package com.agentcostcontrol.analytics;

import com.agentcostcontrol.testing.AbstractWhoamiTest;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_analytics"), @ResourceArg(name = "redisDb", value = "5") })
class WhoamiTest extends AbstractWhoamiTest {

    @Override
    protected String whoamiPath() {
        return "/v1/analytics/whoami";
    }
}
