package com.agentcostcontrol.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.restassured.response.Response;

/**
 * Shows that a service's {@code /q/health/ready} follows its dependencies while it runs: DOWN
 * (503, naming the failed check) while Postgres or Redis is unreachable, UP again once it is back,
 * without a restart. A module's test is a subclass annotated {@code @QuarkusTest} and
 * {@code @TestProfile(<its DependencyOutageProfile>)}; see {@link DependencyOutageProfile}.
 */
public abstract class AbstractReadinessRecoveryTest {

    public static final String DATABASE_CHECK = "Database connections health check";
    public static final String REDIS_CHECK = "Redis connection health check";

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @DependencyProxy(DependencyOutageEnvironment.POSTGRES)
    ToggleableTcpProxy postgres;

    @DependencyProxy(DependencyOutageEnvironment.REDIS)
    ToggleableTcpProxy redis;

    @AfterEach
    void reconnect() {
        postgres.enable();
        redis.enable();
    }

    @Test
    void readinessFollowsPostgres() {
        assertDependencyOutageAndRecovery(postgres, DATABASE_CHECK, REDIS_CHECK);
    }

    @Test
    void readinessFollowsRedis() {
        assertDependencyOutageAndRecovery(redis, REDIS_CHECK, DATABASE_CHECK);
    }

    private void assertDependencyOutageAndRecovery(ToggleableTcpProxy dependency, String failingCheck,
            String healthyCheck) {
        assertNotNull(dependency, "the outage environment did not inject the proxies; is the test annotated "
                + "@TestProfile(<a DependencyOutageProfile>)?");
        Response up = awaitReadiness(200);
        assertEquals("UP", up.path("status"));
        assertEquals("UP", checkStatus(up, failingCheck));

        dependency.disable();
        Response down = awaitReadiness(503);
        assertEquals("DOWN", down.path("status"));
        assertEquals("DOWN", checkStatus(down, failingCheck), () -> "readiness: " + down.asString());
        assertEquals("UP", checkStatus(down, healthyCheck), () -> "readiness: " + down.asString());

        dependency.enable();
        Response back = awaitReadiness(200);
        assertEquals("UP", back.path("status"));
        assertEquals("UP", checkStatus(back, failingCheck));
        assertEquals("UP", checkStatus(back, healthyCheck));
    }

    /** Polls readiness until it answers {@code status}; fails with the last answer after the deadline. */
    protected static Response awaitReadiness(int status) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        Response last = null;
        while (System.nanoTime() < end) {
            last = given().get("/q/health/ready");
            if (last.statusCode() == status) {
                return last;
            }
            sleep(100);
        }
        fail("readiness did not answer " + status + " within " + DEADLINE + "; last answer "
                + (last == null ? "none" : last.statusCode() + " " + last.asString()));
        return last;
    }

    /** The status of the named check in a health answer, or null when the check is absent. */
    protected static String checkStatus(Response health, String checkName) {
        List<Map<String, Object>> checks = health.path("checks");
        return checks.stream().filter(c -> checkName.equals(c.get("name")))
                .map(c -> String.valueOf(c.get("status"))).findFirst().orElse(null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
