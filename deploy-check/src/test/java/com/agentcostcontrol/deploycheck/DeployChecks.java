package com.agentcostcontrol.deploycheck;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

/**
 * Checks of the deploy files against the {@link SuiteLayout} of the code. Each check returns the
 * problems it found as sentences naming the file, the service and what is wrong; an empty list
 * means the file agrees with the code. The checks take the file's text, so tests can feed them
 * deliberately broken variants and see them fail.
 */
final class DeployChecks {

    static final String READY = "/q/health/ready";
    static final String COMPOSE_DOCKERFILE = "src/main/docker/Dockerfile.jvm";

    private DeployChecks() {
    }

    // ------------------------------------------------------------------ docker-compose.yml

    static List<String> compose(SuiteLayout code, String yamlText) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> root = yaml(yamlText);
        Map<String, Object> services = map(root.get("services"));
        for (String infra : List.of("postgres", "redis", "migrations", "prometheus", "grafana")) {
            if (!services.containsKey(infra)) {
                problems.add("docker-compose.yml: no '" + infra + "' service");
            }
        }
        Map<String, Object> migrations = map(services.get("migrations"));
        if (!"no".equals(migrations.get("restart"))) {
            problems.add("docker-compose.yml: the migrations one-shot must have restart: \"no\" (found "
                    + migrations.get("restart") + ")");
        }
        code.services().forEach((svc, port) -> {
            Map<String, Object> s = map(services.get(svc));
            if (s.isEmpty()) {
                problems.add("docker-compose.yml: service " + svc + " (port " + port + " in the code) is missing");
                return;
            }
            composePorts(svc, port, s, problems);
            String health = String.join(" ", strings(map(s.get("healthcheck")).get("test")));
            if (!health.contains(":" + port + READY)) {
                problems.add("docker-compose.yml: " + svc + " healthcheck must GET :" + port + READY + " (found '" + health + "')");
            }
            Map<String, Object> build = map(s.get("build"));
            if (!Objects.equals(build.get("context"), "./" + svc)
                    || !Objects.equals(build.get("dockerfile"), COMPOSE_DOCKERFILE)) {
                problems.add("docker-compose.yml: " + svc + " must build ./" + svc + " with " + COMPOSE_DOCKERFILE
                        + " (found " + build + ")");
            }
            Object condition = map(map(s.get("depends_on")).get("migrations")).get("condition");
            if (!"service_completed_successfully".equals(condition)) {
                problems.add("docker-compose.yml: " + svc
                        + " must depend on migrations with condition service_completed_successfully (found " + condition + ")");
            }
            Map<String, Object> env = map(s.get("environment"));
            for (String required : List.of("ACC_DB_URL", "ACC_DB_USER", "ACC_DB_PASSWORD", "ACC_REDIS_URL",
                    "ACC_INTERNAL_SECRET", "ACC_ADMIN_TOKEN", "ACC_SECRET_KEY")) {
                if (!env.containsKey(required)) {
                    problems.add("docker-compose.yml: " + svc + " has no " + required);
                }
            }
            code.services().forEach((sibling, siblingPort) -> {
                String var = "ACC_" + SuiteLayout.key(sibling) + "_URL";
                String expected = "http://" + sibling + ":" + siblingPort;
                if (!expected.equals(env.get(var))) {
                    problems.add("docker-compose.yml: " + svc + " " + var + " must be " + expected + " (found " + env.get(var) + ")");
                }
            });
        });
        return problems;
    }

    /** The container port must be the code's port, published on the same host port; only the proxy on every interface. */
    private static void composePorts(String svc, int port, Map<String, Object> s, List<String> problems) {
        boolean found = false;
        for (Object entry : list(s.get("ports"))) {
            String hostIp;
            String published;
            String target;
            if (entry instanceof Map<?, ?> m) {
                hostIp = Objects.toString(m.get("host_ip"), "");
                published = Objects.toString(m.get("published"), "");
                target = Objects.toString(m.get("target"), "");
            } else {
                String[] parts = entry.toString().replaceFirst("/tcp$", "").split(":");
                target = parts[parts.length - 1];
                published = parts.length >= 2 ? parts[parts.length - 2] : "";
                hostIp = parts.length == 3 ? parts[0] : "";
            }
            if (target.equals(String.valueOf(port))) {
                found = true;
                if (!published.equals(String.valueOf(port))) {
                    problems.add("docker-compose.yml: " + svc + " must publish container port " + port + " on host port " + port
                            + " (found '" + entry + "')");
                }
                if (!SuiteLayout.PROXY.equals(svc) && !hostIp.equals("127.0.0.1")) {
                    problems.add("docker-compose.yml: " + svc + " is control plane: publish it on 127.0.0.1 only (found '" + entry + "')");
                }
            }
        }
        if (!found) {
            problems.add("docker-compose.yml: " + svc + " publishes no container port " + port
                    + " (the code's quarkus.http.port default); found " + s.get("ports"));
        }
    }

    // -------------------------------------------------------------------- prometheus.yml

    static List<String> prometheus(SuiteLayout code, String yamlText) {
        List<String> problems = new ArrayList<>();
        List<Object> jobs = list(yaml(yamlText).get("scrape_configs"));
        code.services().forEach((svc, port) -> {
            String target = svc + ":" + port;
            boolean scraped = jobs.stream().map(DeployChecks::map).anyMatch(job ->
                    "/q/metrics".equals(job.get("metrics_path"))
                            && list(job.get("static_configs")).stream()
                                    .anyMatch(sc -> strings(map(sc).get("targets")).contains(target)));
            if (!scraped) {
                problems.add("deploy/prometheus/prometheus.yml: no job scrapes " + target + " at /q/metrics");
            }
        });
        return problems;
    }

    // ------------------------------------------------------------------------- fly.toml

    static List<String> fly(SuiteLayout code, String tomlText) {
        List<String> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = new TomlMapper().readTree(tomlText);
        } catch (Exception e) {
            return List.of("fly.toml: not valid TOML: " + e.getMessage());
        }
        String app = root.path("app").asText("");
        JsonNode processes = root.path("processes");
        String proxyProcess = SuiteLayout.process(SuiteLayout.PROXY);

        code.services().forEach((svc, port) -> {
            String process = SuiteLayout.process(svc);
            String command = processes.path(process).asText("");
            if (!command.contains("/deployments/" + svc + "/quarkus-run.jar")) {
                problems.add("fly.toml: process group '" + process + "' must run /deployments/" + svc
                        + "/quarkus-run.jar (found '" + command + "')");
            }
            String var = "ACC_" + SuiteLayout.key(svc) + "_URL";
            String expected = "http://" + process + ".process." + app + ".internal:" + port;
            String actual = root.path("env").path(var).asText(null);
            if (!expected.equals(actual)) {
                problems.add("fly.toml: [env] " + var + " must be " + expected + " (found " + actual + ")");
            }
            boolean scraped = false;
            for (JsonNode metrics : root.path("metrics")) {
                scraped |= strings(metrics.path("processes")).contains(process) && metrics.path("port").asInt() == port
                        && "/q/metrics".equals(metrics.path("path").asText());
            }
            if (!scraped) {
                problems.add("fly.toml: no [[metrics]] entry scraping port " + port + " /q/metrics of process '" + process + "'");
            }
            if (!svc.equals(SuiteLayout.PROXY)) {
                boolean checked = false;
                for (JsonNode check : root.path("checks")) {
                    if (strings(check.path("processes")).contains(process)) {
                        checked = true;
                        if (check.path("port").asInt() != port || !READY.equals(check.path("path").asText())
                                || !"http".equals(check.path("type").asText())) {
                            problems.add("fly.toml: the check of process '" + process + "' must be type http, port " + port
                                    + ", path " + READY + " (found " + check + ")");
                        }
                    }
                }
                if (!checked) {
                    problems.add("fly.toml: no [checks] entry for process '" + process + "'");
                }
            }
        });

        JsonNode http = root.path("http_service");
        if (!List.of(proxyProcess).equals(strings(http.path("processes")))) {
            problems.add("fly.toml: [http_service] must serve exactly the '" + proxyProcess + "' process (found "
                    + http.path("processes") + "): only the proxy is public");
        }
        Integer proxyPort = code.services().get(SuiteLayout.PROXY);
        if (proxyPort != null && http.path("internal_port").asInt() != proxyPort) {
            problems.add("fly.toml: [http_service] internal_port must be " + proxyPort + " (found " + http.path("internal_port") + ")");
        }
        boolean proxyChecked = false;
        for (JsonNode check : http.path("checks")) {
            proxyChecked |= READY.equals(check.path("path").asText());
        }
        if (!proxyChecked) {
            problems.add("fly.toml: [[http_service.checks]] needs a check on " + READY);
        }
        if (!root.path("services").isMissingNode()) {
            problems.add("fly.toml: [[services]] would expose more than the proxy; only [http_service] may be public");
        }
        if (!root.path("deploy").path("release_command").asText("").contains("acc-migrations")) {
            problems.add("fly.toml: [deploy] release_command must run the migration runner (acc-migrations)");
        }
        String dockerfile = root.path("build").path("dockerfile").asText("");
        if (dockerfile.isEmpty() || !code.exists(dockerfile)) {
            problems.add("fly.toml: [build] dockerfile '" + dockerfile + "' does not exist");
        } else {
            String text = code.read(dockerfile);
            for (String svc : code.services().keySet()) {
                if (!text.contains(svc + "/target/quarkus-app/ /deployments/" + svc + "/")) {
                    problems.add(dockerfile + ": does not copy " + svc + "/target/quarkus-app/ to /deployments/" + svc + "/");
                }
            }
            if (!text.contains("/deployments/migrations/acc-migrations.jar")) {
                problems.add(dockerfile + ": does not contain the migration runner /deployments/migrations/acc-migrations.jar");
            }
        }
        return problems;
    }

    // ----------------------------------------------------------------------- Dockerfiles

    private static final Pattern EXPOSE = Pattern.compile("(?m)^EXPOSE\\s+(.+)$");
    private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\S+)");
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");
    private static final Pattern HEALTHCHECK = Pattern.compile("(?m)^HEALTHCHECK\\s+(.+)$");

    static List<String> dockerfile(String svc, int port, String text) {
        String where = svc + "/" + COMPOSE_DOCKERFILE;
        String joined = text.replaceAll("\\\\\\r?\\n", " ");
        List<String> problems = new ArrayList<>();
        Matcher from = FROM.matcher(joined);
        if (!from.find() || !from.group(1).matches("(eclipse-temurin:17-jre.*|.*ubi.*openjdk-17-runtime.*)")) {
            problems.add(where + ": must be based on eclipse-temurin:17-jre or ubi openjdk-17-runtime");
        }
        List<String> exposed = new ArrayList<>();
        Matcher expose = EXPOSE.matcher(joined);
        while (expose.find()) {
            for (String p : expose.group(1).trim().split("\\s+")) {
                exposed.add(p.replaceFirst("/tcp$", ""));
            }
        }
        if (!exposed.equals(List.of(String.valueOf(port)))) {
            problems.add(where + ": must EXPOSE " + port + " (the code's port), found EXPOSE " + exposed);
        }
        Matcher health = HEALTHCHECK.matcher(joined);
        if (!health.find() || !health.group(1).contains(port + "}" + READY) && !health.group(1).contains(":" + port + READY)) {
            problems.add(where + ": HEALTHCHECK must GET port " + port + " " + READY);
        }
        Matcher user = USER.matcher(joined);
        String lastUser = null;
        while (user.find()) {
            lastUser = user.group(1);
        }
        if (lastUser == null || lastUser.equals("root") || lastUser.equals("0") || lastUser.startsWith("0:")) {
            problems.add(where + ": must switch to a non-root USER (found " + lastUser + ")");
        }
        if (!joined.contains("target/quarkus-app/")) {
            problems.add(where + ": must copy the Quarkus fast-jar layout target/quarkus-app/");
        }
        return problems;
    }

    // --------------------------------------------------------------------------- helpers

    static Map<String, Object> yaml(String text) {
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        return map(loaded);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static List<String> strings(Object o) {
        if (o instanceof JsonNode node) {
            List<String> out = new ArrayList<>();
            node.forEach(n -> out.add(n.asText()));
            return out;
        }
        if (o instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.toList());
        }
        return o == null ? List.of() : List.of(o.toString());
    }
}
