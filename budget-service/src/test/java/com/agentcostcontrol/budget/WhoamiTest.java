package com.agentcostcontrol.budget;

import com.agentcostcontrol.testing.AbstractWhoamiTest;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class WhoamiTest extends AbstractWhoamiTest {

    @Override
    protected String whoamiPath() {
        return "/v1/budgets/whoami";
    }
}
