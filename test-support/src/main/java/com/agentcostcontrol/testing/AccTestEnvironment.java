package com.agentcostcontrol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.agentcostcontrol.migrations.Migrator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a module's tests a real, freshly migrated Postgres database of their own and a clean
 * Redis logical database, so modules never share test state. Init args: {@code db} (database
 * name, e.g. {@code acc_test_budget}) and {@code redisDb} (0-15).
 * Servers come from {@code ACC_TEST_PG_HOST}/{@code ACC_TEST_PG_PORT}/{@code ACC_TEST_PG_USER}/
 * {@code ACC_TEST_PG_PASSWORD} and {@code ACC_TEST_REDIS_HOST}/{@code ACC_TEST_REDIS_PORT}
 * (defaults: 127.0.0.1:5432 user postgres, 127.0.0.1:6379); {@code ACC_TEST_DB_SUFFIX} is
 * appended to the database name so parallel checkouts can test side by side.
 */
public class AccTestEnvironment implements QuarkusTestResourceLifecycleManager {

    private String database;
    private int redisDb;

    @Override
    public void init(Map<String, String> initArgs) {
        this.database = initArgs.getOrDefault("db", "acc_test") + env("ACC_TEST_DB_SUFFIX", "");
        this.redisDb = Integer.parseInt(initArgs.getOrDefault("redisDb", "0"));
    }

    @Override
    public Map<String, String> start() {
        String host = env("ACC_TEST_PG_HOST", "127.0.0.1");
        String port = env("ACC_TEST_PG_PORT", "5432");
        String user = env("ACC_TEST_PG_USER", "postgres");
        String password = env("ACC_TEST_PG_PASSWORD", "");
        String base = "jdbc:postgresql://" + host + ":" + port + "/";
        Migrator.createDatabaseIfMissing(base + "postgres", user, password, database);
        Migrator.cleanAndMigrate(base + database, user, password);

        String redisHost = env("ACC_TEST_REDIS_HOST", "127.0.0.1");
        int redisPort = Integer.parseInt(env("ACC_TEST_REDIS_PORT", "6379"));
        flushRedis(redisHost, redisPort, redisDb);
        return Map.of(
                "quarkus.datasource.jdbc.url", base + database,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password,
                "quarkus.redis.hosts", "redis://" + redisHost + ":" + redisPort + "/" + redisDb,
                "acc.test.jdbc-url", base + database,
                "acc.test.redis-url", "redis://" + redisHost + ":" + redisPort + "/" + redisDb);
    }

    @Override
    public void stop() {
        // The database is kept for post-mortem inspection; the next run cleans it.
    }

    /** FLUSHDB over a raw RESP connection: no client library needed before Quarkus starts. */
    static void flushRedis(String host, int port, int db) {
        try (Socket s = new Socket(host, port)) {
            OutputStream out = s.getOutputStream();
            String cmd = "*2\r\n$6\r\nSELECT\r\n$" + String.valueOf(db).length() + "\r\n" + db + "\r\n"
                    + "*1\r\n$7\r\nFLUSHDB\r\n";
            out.write(cmd.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            int lines = 0;
            StringBuilder reply = new StringBuilder();
            while (lines < 2) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                reply.append((char) c);
                if (c == '\n') {
                    lines++;
                }
            }
            if (!reply.toString().equals("+OK\r\n+OK\r\n")) {
                throw new IllegalStateException("Redis FLUSHDB failed: " + reply.toString().trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Redis not reachable at " + host + ":" + port
                    + " (start it, or run ./acc test which starts it): " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
