package com.agentcostcontrol.proxy.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.agentcostcontrol.testing.AccTestEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged proxy ({@code target/quarkus-app/quarkus-run.jar}, built by {@code package}) run as a separate
 * OS process, for integration tests ({@code *IT.java}, run by failsafe in {@code verify}) that need what an
 * in-JVM {@code @QuarkusTest} cannot give: a crash ({@link #kill()}, SIGKILL), a restart, two proxies at once.
 * <p>
 * Each process gets its own HTTP port, the database and Redis of an {@link AccTestEnvironment} (see
 * {@link #testEnvironment}), the operator token {@link #ADMIN_TOKEN} and internal secret, and any extra config
 * as {@code -D} properties. Its stdout and stderr go to {@code target/proxy-process/<name>.log}.
 * <pre>
 * Map&lt;String, String&gt; env = ProxyProcess.testEnvironment("acc_test_proxy_it", 5);
 * try (ProxyProcess p = ProxyProcess.builder(env).name("first").property("acc.proxy.budget.lease-ttl", "3s").start()) {
 *     HttpResponse&lt;String&gt; r = p.get("/q/health/ready");
 *     p.kill();
 * }
 * </pre>
 */
public final class ProxyProcess implements AutoCloseable {

    /** Operator token every process accepts ({@code ACC_ADMIN_TOKEN}). */
    public static final String ADMIN_TOKEN = "it-operator-token-0123456789abcdef";
    /** Shared secret of the signed service identity ({@code ACC_INTERNAL_SECRET}). */
    public static final String INTERNAL_SECRET = "it-internal-secret-0123456789abcdef";
    /** Key that decrypts stored deployment credentials ({@code ACC_SECRET_KEY}, base64 of 32 bytes). */
    public static final String SECRET_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Processes still running: killed when the test JVM exits, so a failed or aborted test leaves no orphan. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "proxy-process-reaper"));
    }
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final URI baseUrl;

    private ProxyProcess(String name, Process process, Path log, URI baseUrl) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.baseUrl = baseUrl;
    }

    /**
     * A freshly migrated Postgres database {@code db} (+ {@code ACC_TEST_DB_SUFFIX}) and a flushed Redis
     * logical database {@code redisDb}, as {@link AccTestEnvironment} gives {@code @QuarkusTest}s; the answer
     * (JDBC URL, user, password, Redis URL) is what {@link #builder} takes.
     */
    public static Map<String, String> testEnvironment(String db, int redisDb) {
        AccTestEnvironment env = new AccTestEnvironment();
        env.init(Map.of("db", db, "redisDb", Integer.toString(redisDb)));
        return env.start();
    }

    public static Builder builder(Map<String, String> testEnvironment) {
        return new Builder(testEnvironment);
    }

    public static final class Builder {
        private final Map<String, String> testEnvironment;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
        private String name = "proxy";
        private Path runner = Paths.get(System.getProperty("acc.proxy.runner", "target/quarkus-app/quarkus-run.jar"));
        private Duration readyTimeout = Duration.ofSeconds(90);

        private Builder(Map<String, String> testEnvironment) {
            this.testEnvironment = Map.copyOf(testEnvironment);
        }

        /** Names the log file ({@code target/proxy-process/<name>-<n>.log}) and error messages. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** A config property, passed as {@code -Dkey=value} (the highest-priority config source). */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** An environment variable of the process (e.g. {@code ACC_SHUTDOWN_GRACE}). */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public Builder runner(Path runner) {
            this.runner = runner;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** Starts the process and waits until {@code /q/health/ready} answers 200. */
        public ProxyProcess start() {
            if (!Files.isRegularFile(runner)) {
                throw new IllegalStateException(runner.toAbsolutePath() + " does not exist: ProxyProcess runs the packaged proxy;"
                        + " build it first (./mvnw -pl proxy-service -am verify packages before running *IT)");
            }
            int port = freePort();
            List<String> command = new ArrayList<>();
            command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(runner.toAbsolutePath().toString());

            ProcessBuilder pb = new ProcessBuilder(command);
            Map<String, String> e = pb.environment();
            // Only the mock provider and deployments from the database: never a real provider of the developer's shell.
            e.keySet().removeIf(k -> k.endsWith("_API_KEY") || k.startsWith("ACC_"));
            e.put("PORT", Integer.toString(port));
            e.put("ACC_DB_URL", testEnvironment.get("quarkus.datasource.jdbc.url"));
            e.put("ACC_DB_USER", testEnvironment.get("quarkus.datasource.username"));
            e.put("ACC_DB_PASSWORD", testEnvironment.getOrDefault("quarkus.datasource.password", ""));
            e.put("ACC_REDIS_URL", testEnvironment.get("quarkus.redis.hosts"));
            e.put("ACC_ADMIN_TOKEN", ADMIN_TOKEN);
            e.put("ACC_INTERNAL_SECRET", INTERNAL_SECRET);
            e.put("ACC_SECRET_KEY", SECRET_KEY);
            e.put("ACC_SHUTDOWN_GRACE", "10s");
            e.putAll(env);

            Path dir = Paths.get("target", "proxy-process");
            Path log = dir.resolve(name + "-" + SEQUENCE.incrementAndGet() + ".log");
            try {
                Files.createDirectories(dir);
                pb.redirectErrorStream(true);
                pb.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
                pb.directory(new File("."));
                Process process = pb.start();
                LIVE.add(process);
                process.onExit().thenRun(() -> LIVE.remove(process));
                ProxyProcess p = new ProxyProcess(name, process, log, URI.create("http://127.0.0.1:" + port));
                p.awaitReady(readyTimeout);
                return p;
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot start " + String.join(" ", command), ex);
            }
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; log "
                        + log.toAbsolutePath() + ":\n" + logTail(40));
            }
            try {
                HttpResponse<String> r = get("/q/health/ready");
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (RuntimeException ex) {
                last = ex.toString();
            }
            sleep(200);
        }
        kill();
        throw new IllegalStateException(name + " not ready after " + timeout + " (" + last + "); log " + log.toAbsolutePath()
                + ":\n" + logTail(40));
    }

    /** e.g. {@code http://127.0.0.1:43817} (no trailing slash). */
    public URI baseUrl() {
        return baseUrl;
    }

    public URI uri(String path) {
        return baseUrl.resolve(path);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL: no shutdown hook, no settle, no graceful drain (a crash). Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        waitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM (graceful shutdown), then SIGKILL if it has not exited within 30 s. Returns the exit code. */
    public int stop() {
        process.destroy();
        if (!waitExit(Duration.ofSeconds(30))) {
            kill();
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    private boolean waitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last {@code lines} lines of the process's log (for failure messages). */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    // --- operator API and small HTTP helpers ---------------------------------------------------------------

    /** Creates a tenant with the operator token; returns its id. */
    public String createTenant(String tenantName) {
        return field(expect(201, post("/admin/v1/tenants", ADMIN_TOKEN, json(Map.of("name", tenantName)))), "id");
    }

    /** Issues a key (scope {@code llm}) for the tenant with the operator token; returns {@code {id, key}}. */
    public IssuedKey issueKey(String tenantId, String keyName) {
        HttpResponse<String> r = expect(201, post("/admin/v1/tenants/" + tenantId + "/keys", ADMIN_TOKEN,
                json(Map.of("name", keyName))));
        return new IssuedKey(tenantId, field(r, "id"), field(r, "key"));
    }

    public record IssuedKey(String tenantId, String keyId, String key) {
    }

    /** Fails with the status and body unless the answer has the expected status. */
    public static HttpResponse<String> expect(int status, HttpResponse<String> r) {
        if (r.statusCode() != status) {
            throw new AssertionError("expected " + status + " from " + r.request().method() + " " + r.uri() + ", got "
                    + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    private static String field(HttpResponse<String> r, String name) {
        try {
            JsonNode n = JSON.readTree(r.body()).get(name);
            if (n == null || !n.isTextual()) {
                throw new AssertionError("no field " + name + " in " + r.body());
            }
            return n.asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), null);
    }

    /** POST with a JSON body and an optional bearer token (null: none). */
    public HttpResponse<String> post(String path, String bearer, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b, bearer);
    }

    public HttpResponse<String> send(HttpRequest.Builder request, String bearer) {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", " + baseUrl + ")";
    }
}
