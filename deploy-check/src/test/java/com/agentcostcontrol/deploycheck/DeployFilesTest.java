package com.agentcostcontrol.deploycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The deploy files of the repository agree with the services of the code. */
class DeployFilesTest {

    private final SuiteLayout code = SuiteLayout.fromCode();

    @Test
    void codeDeclaresTheServicesWithTheirPorts() {
        // Guards the parsing itself: without it an empty layout would make every check pass.
        assertEquals(8080, code.services().get(SuiteLayout.PROXY));
        assertTrue(code.services().size() >= 7, "service modules found in the root pom: " + code.services());
        assertEquals(code.services().size(), code.services().values().stream().distinct().count(),
                "two services share a port: " + code.services());
    }

    @Test
    void composeRunsEveryServiceOnItsPortWithReadinessChecks() {
        assertEquals(List.of(), DeployChecks.compose(code, code.read("docker-compose.yml")));
    }

    @Test
    void prometheusScrapesEveryService() {
        assertEquals(List.of(), DeployChecks.prometheus(code, code.read("deploy/prometheus/prometheus.yml")));
    }

    @Test
    void flyRunsEveryServiceAsAProcessGroupAndOnlyTheProxyIsPublic() {
        assertEquals(List.of(), DeployChecks.fly(code, code.read("fly.toml")));
    }

    @Test
    void everyServiceHasAJvmDockerfileExposingItsPort() {
        List<String> problems = new ArrayList<>();
        code.services().forEach((svc, port) -> {
            String path = svc + "/" + DeployChecks.COMPOSE_DOCKERFILE;
            if (!code.exists(path)) {
                problems.add(path + ": missing");
            } else {
                problems.addAll(DeployChecks.dockerfile(svc, port, code.read(path)));
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void migrationRunnerHasAnImage() {
        String path = "migrations/" + DeployChecks.COMPOSE_DOCKERFILE;
        assertTrue(code.exists(path), path + " is missing");
        String text = code.read(path);
        assertTrue(text.contains("target/acc-migrations-") && text.contains("target/lib/"),
                path + " must copy the runner jar and its lib/ folder");
    }

    @Test
    void grafanaIsProvisionedWithPrometheusAndADashboard() {
        var datasources = DeployChecks.list(DeployChecks.yaml(
                code.read("deploy/grafana/provisioning/datasources/prometheus.yml")).get("datasources"));
        assertEquals(1, datasources.size());
        var prometheus = DeployChecks.map(datasources.get(0));
        assertEquals("prometheus", prometheus.get("type"));
        assertEquals("http://prometheus:9090", prometheus.get("url"));
        String dashboard = code.read("deploy/grafana/dashboards/acc-services.json");
        assertTrue(dashboard.contains("\"uid\": \"" + prometheus.get("uid") + "\""), "dashboard must use the provisioned datasource");
        for (String metric : List.of("http_server_requests_seconds_count", "http_server_requests_seconds_sum",
                "http_server_requests_seconds_max")) {
            assertTrue(dashboard.contains(metric), "dashboard must chart " + metric);
        }
    }
}
