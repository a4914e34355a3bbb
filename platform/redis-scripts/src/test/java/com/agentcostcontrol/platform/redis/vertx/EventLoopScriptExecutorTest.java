package com.agentcostcontrol.platform.redis.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.testing.ToggleableTcpProxy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * {@link EventLoopScriptExecutor} against a real Redis ({@code ACC_TEST_REDIS_HOST}/{@code ACC_TEST_REDIS_PORT},
 * default 127.0.0.1:6379, db 15, keys unique per test), reached through {@link ToggleableTcpProxy}s that count
 * the connections each path opens.
 */
class EventLoopScriptExecutorTest {

    /** Echoes its argument and counts calls on its key, so each reply proves which script it answers. */
    private static final String ECHO_INCR = "return {ARGV[1], tostring(redis.call('INCR', KEYS[1]))}";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final String key = "acc:test:event-loop-executor:" + UUID.randomUUID();
    private ToggleableTcpProxy perLoopRoute;
    private ToggleableTcpProxy fallbackRoute;
    private Redis fallback;
    private EventLoopScriptExecutor executor;

    @BeforeEach
    void start() {
        String host = env("ACC_TEST_REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("ACC_TEST_REDIS_PORT", "6379"));
        perLoopRoute = ToggleableTcpProxy.start("redis-per-loop", host, port);
        fallbackRoute = ToggleableTcpProxy.start("redis-fallback", host, port);
        fallback = Redis.createClient(vertx, url(fallbackRoute.port()));
        executor = executor(() -> Redis.createClient(vertx, new RedisOptions().setConnectionString(url(perLoopRoute.port()))
                .setMaxPoolSize(1)), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        executor.close();
        await(new VertxRedisScriptExecutor(fallback).eval("return redis.call('DEL', KEYS[1])", List.of(key), List.of()));
        fallback.close();
        perLoopRoute.close();
        fallbackRoute.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void scriptsOfOneEventLoopArePipelinedOnOneConnectionAndAnsweredOnThatLoop() throws Exception {
        Context loop = vertx.getOrCreateContext();
        int n = 500;
        List<CompletableFuture<Object>> replies = new ArrayList<>();
        Set<String> answeredOn = ConcurrentHashMap.newKeySet();
        String[] loopThread = new String[1];
        CompletableFuture<Void> sent = new CompletableFuture<>();
        loop.runOnContext(v -> {
            loopThread[0] = Thread.currentThread().getName();
            for (int i = 0; i < n; i++) {
                replies.add(executor.eval(ECHO_INCR, List.of(key), List.of("call-" + i))
                        .whenComplete((r, e) -> answeredOn.add(Thread.currentThread().getName()))
                        .toCompletableFuture());
            }
            sent.complete(null);
        });
        sent.get(10, TimeUnit.SECONDS);
        Set<String> counts = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            List<?> reply = (List<?>) replies.get(i).get(10, TimeUnit.SECONDS);
            assertEquals("call-" + i, reply.get(0), "reply " + i + " answers its own script");
            counts.add((String) reply.get(1));
        }
        assertEquals(n, counts.size(), "every script ran once: INCR gave " + n + " distinct values");
        assertEquals(Set.of(loopThread[0]), answeredOn, "every reply completes on the caller's event loop");
        assertEquals(1, perLoopRoute.acceptedConnections(), "one connection for the event loop");
        assertEquals(0, fallbackRoute.acceptedConnections(), "the pooled fallback was not used");
    }

    @Test
    void eachEventLoopOpensItsOwnConnectionOnce() throws Exception {
        // New event-loop contexts go round robin over the 2 loops.
        Context first = ((VertxInternal) vertx).createEventLoopContext();
        Context second = ((VertxInternal) vertx).createEventLoopContext();
        String a = runOn(first, 3);
        String b = runOn(second, 3);
        assertNotEquals(a, b, "the two contexts are on different event loops (pool of 2, round robin)");
        assertEquals(2, perLoopRoute.acceptedConnections());
        assertEquals(6L, Long.parseLong((String) ((List<?>) await(executor.eval(ECHO_INCR, List.of(key), List.of("x")))).get(1)) - 1);
    }

    @Test
    void offAnEventLoopScriptsGoThroughTheFallback() throws Exception {
        List<?> reply = (List<?>) await(executor.eval(ECHO_INCR, List.of(key), List.of("from-test-thread")));
        assertEquals(List.of("from-test-thread", "1"), reply);
        assertEquals(0, perLoopRoute.acceptedConnections());
        assertTrue(fallbackRoute.acceptedConnections() >= 1);
    }

    @Test
    void withoutPerLoopClientsEveryScriptGoesThroughTheFallback() throws Exception {
        executor.close();
        executor = executor(null, Duration.ofSeconds(5));
        runOn(vertx.getOrCreateContext(), 3);
        assertEquals(0, perLoopRoute.acceptedConnections());
        assertTrue(fallbackRoute.acceptedConnections() >= 1);
    }

    @Test
    void aConnectionThatIsCutIsReplacedOnTheNextScript() throws Exception {
        Context loop = vertx.getOrCreateContext();
        runOn(loop, 1);
        assertEquals(1, perLoopRoute.acceptedConnections());
        perLoopRoute.disable(); // closes the live connection
        long accepted = perLoopRoute.acceptedConnections();
        // While Redis is unreachable scripts fail fast (no hang), each attempt with a fresh connect.
        ExecutionException down = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> runOn(loop, 1));
        assertTrue(down.getCause() != null);
        perLoopRoute.enable();
        long before = perLoopRoute.acceptedConnections();
        runOn(loop, 2);
        assertEquals(before + 1, perLoopRoute.acceptedConnections(), "one new connection after the cut (accepted "
                + accepted + " while it was cut)");
    }

    @Test
    void aServerThatNeverAnswersTimesTheScriptOutAndItsConnectionIsLetGo() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // reads nothing, answers nothing
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            executor.close();
            executor = executor(() -> Redis.createClient(vertx, new RedisOptions().setConnectionString(url(silent.getLocalPort()))
                    .setMaxPoolSize(1)), Duration.ofMillis(300));
            Context loop = vertx.getOrCreateContext();

            long t0 = System.nanoTime();
            ExecutionException first = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> runOn(loop, 1));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertInstanceOf(TimeoutException.class, rootCause(first), "fails with a timeout: " + first);
            assertTrue(tookMs >= 250 && tookMs < 3_000, "after about the 300 ms timeout, took " + tookMs + " ms");

            org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> runOn(loop, 1));
            assertEquals(2, accepted.size(), "the stuck connection was given up and a new one opened");
            assertEquals(-1, readWithin(accepted.get(0), 2_000), "the given-up connection was closed by the client");
        }
    }

    /** Runs {@code n} scripts from {@code context}; answers the name of the thread they ran on. */
    private String runOn(Context context, int n) throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            List<CompletableFuture<Object>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(executor.eval(ECHO_INCR, List.of(key), List.of("n" + i)).toCompletableFuture());
            }
            String thread = Thread.currentThread().getName();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            done.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                        } else {
                            done.complete(thread);
                        }
                    });
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    private EventLoopScriptExecutor executor(Supplier<Redis> perLoop, Duration timeout) {
        return new EventLoopScriptExecutor(vertx, perLoop, fallback, timeout);
    }

    private static Object await(java.util.concurrent.CompletionStage<Object> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Reads what the client sent until it closes (-1) or {@code millis} pass (then the last byte read). */
    private static int readWithin(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        int b;
        do {
            b = socket.getInputStream().read();
        } while (b != -1);
        return b;
    }

    private static String url(int port) {
        return "redis://" + env("ACC_TEST_REDIS_HOST", "127.0.0.1") + ":" + port + "/15";
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
