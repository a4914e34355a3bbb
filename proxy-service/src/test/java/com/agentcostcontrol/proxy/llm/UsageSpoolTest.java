package com.agentcostcontrol.proxy.llm;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.io.IOException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.llm.usage.UsageEmitter;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/**
 * Usage events are never lost: with Redis unreachable (a TCP forwarder switched off) they go to
 * the spool file, and when Redis is back they are replayed in order, then appends go direct again.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
class UsageSpoolTest {

    static final String STREAM = "acc:usage:spooltest";

    @Inject
    Vertx vertx;
    @Inject
    RedisDataSource redis;

    @Test
    void spoolsWhileRedisIsDownAndReplaysInOrder() throws Exception {
        int redisPort = Integer.parseInt(System.getenv().getOrDefault("ACC_TEST_REDIS_PORT", "6379"));
        Path spool = Files.createTempDirectory("acc-spool").resolve("usage.jsonl");
        redis.key().del(STREAM);
        try (TcpToggle toggle = new TcpToggle(vertx, "127.0.0.1", redisPort)) {
            int port = toggle.start();
            Redis client = Redis.createClient(io.vertx.mutiny.core.Vertx.newInstance(vertx), "redis://127.0.0.1:" + port + "/1");
            UsageEmitter emitter = new UsageEmitter(UsageEmitter.redisAppender(client), STREAM, 1000, spool, vertx, 100);
            emitter.start();
            try {
                emitter.emit(event("before"));
                await(() -> ids().equals(List.of("before")), "direct append");

                toggle.disable();
                for (int i = 1; i <= 5; i++) {
                    emitter.emit(event("down-" + i));
                }
                await(() -> emitter.spooledTotal() == 5, "5 events spooled");
                assertTrue(emitter.spooling());
                assertEquals(5, Files.readAllLines(spool).size());
                assertEquals(List.of("before"), ids());

                toggle.enable();
                await(() -> !emitter.spooling(), "spool replayed");
                assertEquals(List.of("before", "down-1", "down-2", "down-3", "down-4", "down-5"), ids());
                assertFalse(Files.exists(spool));

                emitter.emit(event("after"));
                await(() -> ids().size() == 7, "direct append again");
                assertEquals("after", ids().get(6));
                assertEquals(5, emitter.spooledTotal());
            } finally {
                emitter.stop();
                client.close();
            }
        }
    }

    /**
     * An event emitted while a replay is running is queued behind it on the spool thread and written to a
     * fresh spool after the replay emptied the old one: it must be replayed too, not wait for a restart.
     */
    @Test
    void anEventSpooledWhileAReplayRunsIsReplayedToo() throws Exception {
        Path spool = Files.createTempDirectory("acc-spool-race").resolve("usage.jsonl");
        List<String> delivered = new CopyOnWriteArrayList<>();
        AtomicBoolean redisDown = new AtomicBoolean(true);
        AtomicBoolean holdNextAppend = new AtomicBoolean();
        CountDownLatch replayInFlight = new CountDownLatch(1);
        CountDownLatch releaseReplay = new CountDownLatch(1);
        UsageEmitter.Appender appender = (stream, maxLength, events) -> {
            if (redisDown.get()) {
                return Uni.createFrom().failure(new IOException("redis down"));
            }
            if (holdNextAppend.compareAndSet(true, false)) {
                // The replay's append, on the spool thread: hold it until an event was emitted meanwhile.
                replayInFlight.countDown();
                try {
                    releaseReplay.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            events.forEach(e -> delivered.add(e.get("request_id")));
            return Uni.createFrom().voidItem();
        };
        UsageEmitter emitter = new UsageEmitter(appender, STREAM, 1000, spool, vertx, 100);
        emitter.start();
        try {
            emitter.emit(event("spooled-first"));
            await(() -> emitter.spooledTotal() == 1, "the first event spooled");

            holdNextAppend.set(true);
            redisDown.set(false);
            assertTrue(replayInFlight.await(10, TimeUnit.SECONDS), "a replay started");
            emitter.emit(event("during-replay"));
            releaseReplay.countDown();

            await(() -> delivered.equals(List.of("spooled-first", "during-replay")),
                    "both events reach Redis, the one spooled during the replay too");
            await(() -> !emitter.spooling(), "spooling off again");
            assertFalse(Files.exists(spool));
        } finally {
            emitter.stop();
        }
    }

    private static Map<String, String> event(String id) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("v", "1");
        e.put("request_id", id);
        e.put("status", "ok");
        return e;
    }

    private List<String> ids() {
        List<String> out = new ArrayList<>();
        for (StreamMessage<String, String, String> m : redis.stream(String.class).xrange(STREAM, StreamRange.of("-", "+"))) {
            out.add(m.payload().get("request_id"));
        }
        return out;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
