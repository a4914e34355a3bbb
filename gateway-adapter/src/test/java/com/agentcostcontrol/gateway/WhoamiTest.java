package com.agentcostcontrol.gateway;

import com.agentcostcontrol.testing.AbstractWhoamiTest;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_gateway"), @ResourceArg(name = "redisDb", value = "7") })
class WhoamiTest extends AbstractWhoamiTest {

    @Override
    protected String whoamiPath() {
        return "/v1/fleet/whoami";
    }
}
