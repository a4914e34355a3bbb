package com.agentcostcontrol.deploycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every check fails when the deploy files drift from the code: each test breaks the real file
 * (or the code's view of it) in one way and expects the check to name that break.
 */
class DeployChecksCanFailTest {

    private final SuiteLayout code = SuiteLayout.fromCode();
    private final String compose = code.read("docker-compose.yml");
    private final String fly = code.read("fly.toml");
    private final String prometheus = code.read("deploy/prometheus/prometheus.yml");

    private static String replace(String text, String from, String to) {
        assertTrue(text.contains(from), "fixture text not found: " + from);
        return text.replace(from, to);
    }

    private static void assertProblem(List<String> problems, String... fragments) {
        assertTrue(problems.stream().anyMatch(p -> List.of(fragments).stream().allMatch(p::contains)),
                "expected a problem mentioning " + List.of(fragments) + ", got " + problems);
    }

    @Test
    void composeWrongPortFails() {
        List<String> problems = DeployChecks.compose(code,
                replace(compose, "\"127.0.0.1:8081:8081\"", "\"127.0.0.1:8089:8089\""));
        assertProblem(problems, "budget-service", "8081");
    }

    @Test
    void composeControlPlanePublishedOnAllInterfacesFails() {
        List<String> problems = DeployChecks.compose(code, replace(compose, "\"127.0.0.1:8085:8085\"", "\"8085:8085\""));
        assertProblem(problems, "billing-service", "127.0.0.1 only");
    }

    @Test
    void composeWrongHealthcheckPathFails() {
        List<String> problems = DeployChecks.compose(code,
                replace(compose, "http://127.0.0.1:8082/q/health/ready", "http://127.0.0.1:8082/q/health/live"));
        assertProblem(problems, "router-service", "healthcheck");
    }

    @Test
    void composeMissingServiceFails() {
        int start = compose.indexOf("\n  gateway-adapter:\n");
        int end = compose.indexOf("\n  prometheus:\n");
        assertTrue(start > 0 && end > start);
        String without = compose.substring(0, start) + compose.substring(end)
                .replace("      - gateway-adapter\n", "");
        assertProblem(DeployChecks.compose(code, without), "gateway-adapter", "missing");
    }

    @Test
    void composeWrongSiblingUrlFails() {
        List<String> problems = DeployChecks.compose(code,
                replace(compose, "ACC_BILLING_URL: http://billing-service:8085", "ACC_BILLING_URL: http://billing-service:9085"));
        assertProblem(problems, "ACC_BILLING_URL", "http://billing-service:8085");
    }

    @Test
    void composeServiceNotWaitingForMigrationsFails() {
        List<String> problems = DeployChecks.compose(code,
                replace(compose, "condition: service_completed_successfully", "condition: service_started"));
        assertProblem(problems, "service_completed_successfully");
    }

    @Test
    void composeRestartingMigrationsFails() {
        List<String> problems = DeployChecks.compose(code, replace(compose, "restart: \"no\"", "restart: on-failure"));
        assertProblem(problems, "migrations", "restart");
    }

    @Test
    void prometheusMissingTargetFails() {
        List<String> problems = DeployChecks.prometheus(code,
                replace(prometheus, "\"security-service:8083\"", "\"security-service:9999\""));
        assertEquals(List.of("deploy/prometheus/prometheus.yml: no job scrapes security-service:8083 at /q/metrics"), problems);
    }

    @Test
    void flyPublicControlPlaneFails() {
        List<String> problems = DeployChecks.fly(code, replace(fly, "processes = [\"proxy\"]\n  internal_port",
                "processes = [\"proxy\", \"budget\"]\n  internal_port"));
        assertProblem(problems, "http_service", "only the proxy is public");
    }

    @Test
    void flyExtraPublicServiceFails() {
        String withService = fly + "\n[[services]]\n  processes = [\"billing\"]\n  internal_port = 8085\n  protocol = \"tcp\"\n";
        assertProblem(DeployChecks.fly(code, withService), "[[services]]");
    }

    @Test
    void flyWrongCheckPortFails() {
        List<String> problems = DeployChecks.fly(code, replace(fly, "port = 8084", "port = 8094"));
        assertProblem(problems, "analytics", "8084");
    }

    @Test
    void flyUrlsOfAnotherAppFail() {
        List<String> problems = DeployChecks.fly(code, fly.replaceFirst("(?m)^app = \".*\"$", "app = \"renamed-app\""));
        assertProblem(problems, "ACC_BUDGET_URL", "budget.process.renamed-app.internal:8081");
    }

    @Test
    void flyMetricsOnWrongPortFail() {
        List<String> problems = DeployChecks.fly(code, replace(fly, "port = 8086\n  path = \"/q/metrics\"",
                "port = 9086\n  path = \"/q/metrics\""));
        assertProblem(problems, "[[metrics]]", "gateway");
    }

    @Test
    void flyWithoutReleaseCommandFails() {
        List<String> problems = DeployChecks.fly(code, fly.replaceFirst("(?m)^\\s*release_command = .*$", ""));
        assertProblem(problems, "release_command");
    }

    @Test
    void dockerfileWrongExposeFails() {
        String text = code.read("budget-service/" + DeployChecks.COMPOSE_DOCKERFILE);
        List<String> problems = DeployChecks.dockerfile("budget-service", 8081, replace(text, "EXPOSE 8081", "EXPOSE 8080"));
        assertProblem(problems, "budget-service", "EXPOSE 8081");
    }

    @Test
    void dockerfileRunningAsRootFails() {
        String text = code.read("proxy-service/" + DeployChecks.COMPOSE_DOCKERFILE);
        List<String> problems = DeployChecks.dockerfile("proxy-service", 8080, replace(text, "USER 185", "USER root"));
        assertProblem(problems, "non-root USER");
    }

    @Test
    void portChangedInCodeFailsEveryDeployFile() {
        SuiteLayout moved = code.withService("budget-service", 9081);
        assertProblem(DeployChecks.compose(moved, compose), "budget-service", "9081");
        assertProblem(DeployChecks.prometheus(moved, prometheus), "budget-service:9081");
        assertProblem(DeployChecks.fly(moved, fly), "budget", "9081");
        assertProblem(DeployChecks.dockerfile("budget-service", 9081,
                code.read("budget-service/" + DeployChecks.COMPOSE_DOCKERFILE)), "EXPOSE 9081");
    }

    @Test
    void newServiceInCodeWithoutDeployConfigFails() {
        SuiteLayout grown = code.withService("audit-service", 8087);
        assertProblem(DeployChecks.compose(grown, compose), "audit-service", "missing");
        assertProblem(DeployChecks.prometheus(grown, prometheus), "audit-service:8087");
        assertProblem(DeployChecks.fly(grown, fly), "process group 'audit'");
        assertProblem(DeployChecks.fly(grown, fly), "does not copy audit-service/target/quarkus-app/");
    }
}
