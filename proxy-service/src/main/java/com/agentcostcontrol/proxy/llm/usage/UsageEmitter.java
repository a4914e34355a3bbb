package com.agentcostcontrol.proxy.llm.usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.llm.Json;
import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;

/**
 * Appends usage events to the Redis Stream {@code acc.proxy.usage.stream} ({@code XADD MAXLEN ~ cap}),
 * never losing one. Events queue in memory and go out in pipelined batches, one batch in flight at
 * a time (so a burst of calls neither exhausts the Redis pool nor reorders events). When a batch
 * fails (Redis down or slow), it and every later event go to an append-only spool file (one JSON
 * object per line) until a replay, every {@code replay-interval} on a single spool thread, has moved
 * the whole spool back to Redis in order. A spool left by a previous run is replayed at start.
 * Delivery is at-least-once: a batch whose answer was lost may have landed, so consumers
 * deduplicate by {@code request_id}.
 */
@ApplicationScoped
public class UsageEmitter {

    /** Appends events to a Redis Stream in one pipelined round trip. */
    @FunctionalInterface
    public interface Appender {
        Uni<Void> append(String stream, long maxLength, List<Map<String, String>> events);
    }

    private static final Logger LOG = Logger.getLogger(UsageEmitter.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);
    private static final int BATCH = 500;
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };

    private final Appender appender;
    private final String stream;
    private final long maxLength;
    private final Path spool;
    private final Vertx vertx;
    private final long replayMs;
    private final ConcurrentLinkedQueue<Map<String, String>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicBoolean spooling = new AtomicBoolean();
    private final AtomicBoolean replayQueued = new AtomicBoolean();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong emitted = new AtomicLong();
    private final ExecutorService spoolThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "acc-usage-spool");
        t.setDaemon(true);
        return t;
    });
    private long timerId = -1;

    @Inject
    public UsageEmitter(Redis redis, ProxyConfig config, Vertx vertx) {
        this(redisAppender(redis), config.usage().stream(), config.usage().maxLength(), Path.of(config.usage().spoolFile()),
                vertx, config.usage().replayInterval().toMillis());
    }

    /** For tests: an emitter over any appender (e.g. a Redis client behind a toggleable proxy). */
    public UsageEmitter(Appender appender, String stream, long maxLength, Path spool, Vertx vertx, long replayMs) {
        this.appender = appender;
        this.stream = stream;
        this.maxLength = maxLength;
        this.spool = spool.toAbsolutePath();
        this.vertx = vertx;
        this.replayMs = Math.max(50, replayMs);
    }

    /** Pipelined {@code XADD <stream> MAXLEN ~ <cap> * field value ...}, one per event. */
    public static Appender redisAppender(Redis redis) {
        return (stream, maxLength, events) -> {
            List<Request> batch = new ArrayList<>(events.size());
            for (Map<String, String> event : events) {
                Request r = Request.cmd(Command.XADD).arg(stream).arg("MAXLEN").arg("~").arg(maxLength).arg("*");
                event.forEach((k, v) -> r.arg(k).arg(v));
                batch.add(r);
            }
            return redis.batch(batch).replaceWithVoid();
        };
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Replays a spool left by an earlier run and starts the periodic replay. */
    public void start() {
        try {
            if (Files.size(spool) > 0) {
                spooling.set(true);
                LOG.infof("usage spool %s holds events from an earlier run; replaying them", spool);
            }
        } catch (IOException e) {
            // No spool file: nothing to replay.
        }
        timerId = vertx.setPeriodic(replayMs, replayMs, id -> {
            if (spooling.get() && replayQueued.compareAndSet(false, true)) {
                spoolThread.execute(() -> {
                    replayQueued.set(false);
                    replay();
                });
            }
        });
    }

    /** Appends one event; never blocks the caller and never throws. */
    public void emit(Map<String, String> event) {
        emitted.incrementAndGet();
        if (spooling.get()) {
            spoolThread.execute(() -> append(event));
            return;
        }
        pending.add(event);
        flush();
    }

    private void flush() {
        if (!flushing.compareAndSet(false, true)) {
            return;
        }
        List<Map<String, String>> batch = new ArrayList<>();
        Map<String, String> e;
        while (batch.size() < BATCH && (e = pending.poll()) != null) {
            batch.add(e);
        }
        if (batch.isEmpty()) {
            flushing.set(false);
            if (!pending.isEmpty()) {
                flush();
            }
            return;
        }
        appender.append(stream, maxLength, batch)
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .subscribe().with(ok -> {
                    flushing.set(false);
                    flush();
                }, failure -> {
                    if (spooling.compareAndSet(false, true)) {
                        LOG.warnf("usage events go to the spool %s until Redis is back: %s", spool, failure.toString());
                    }
                    List<Map<String, String>> rest = new ArrayList<>(batch);
                    Map<String, String> p;
                    while ((p = pending.poll()) != null) {
                        rest.add(p);
                    }
                    spoolThread.execute(() -> rest.forEach(this::append));
                    flushing.set(false);
                });
    }

    private void append(Map<String, String> event) {
        try {
            Files.createDirectories(spool.getParent());
            Files.writeString(spool, Json.MAPPER.writeValueAsString(event) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            spooled.incrementAndGet();
            // A spool that holds an event must be replayed. An append queued while spooling may run after a
            // replay emptied the file and switched spooling off: without this its event would wait for a restart.
            spooling.set(true);
        } catch (IOException e) {
            LOG.errorf("cannot write usage spool %s: %s (event %s lost)", spool, e.getMessage(), event.get("request_id"));
        }
    }

    /** Moves spooled events to Redis in file order; stops at the first failure, keeping the rest. Spool thread only. */
    void replay() {
        List<String> lines;
        try {
            lines = Files.exists(spool) ? Files.readAllLines(spool, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            LOG.warnf("cannot read usage spool %s: %s", spool, e.getMessage());
            return;
        }
        int sent = 0;
        try {
            while (sent < lines.size()) {
                int end = Math.min(lines.size(), sent + BATCH);
                List<Map<String, String>> batch = new ArrayList<>(end - sent);
                for (String line : lines.subList(sent, end)) {
                    if (!line.isBlank()) {
                        batch.add(Json.MAPPER.readValue(line, MAP));
                    }
                }
                if (!batch.isEmpty()) {
                    appender.append(stream, maxLength, batch).await().atMost(REDIS_TIMEOUT);
                }
                sent = end;
            }
        } catch (IOException | RuntimeException e) {
            keepFrom(lines, sent);
            LOG.debugf("usage spool replay paused after %d events: %s", sent, e.toString());
            return;
        }
        try {
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            LOG.warnf("cannot clear usage spool %s: %s", spool, e.getMessage());
            return;
        }
        spooling.set(false);
        if (!lines.isEmpty()) {
            LOG.infof("usage spool replayed: %d events moved to Redis", lines.size());
        }
        flush();
    }

    private void keepFrom(List<String> lines, int from) {
        if (from == 0) {
            return;
        }
        try {
            Path tmp = spool.resolveSibling(spool.getFileName() + ".tmp");
            Files.write(tmp, new ArrayList<>(lines.subList(from, lines.size())), StandardCharsets.UTF_8);
            Files.move(tmp, spool, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf("cannot rewrite usage spool %s: %s", spool, e.getMessage());
        }
    }

    /** Whether events currently go to the spool. */
    public boolean spooling() {
        return spooling.get();
    }

    /** Events handed to this emitter since start. */
    public long emitted() {
        return emitted.get();
    }

    /** Events written to the spool since start. */
    public long spooledTotal() {
        return spooled.get();
    }

    public Path spoolFile() {
        return spool;
    }

    @PreDestroy
    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        spoolThread.shutdown();
        try {
            spoolThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
