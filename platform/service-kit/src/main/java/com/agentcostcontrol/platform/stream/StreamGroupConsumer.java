package com.agentcostcontrol.platform.stream;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.ClaimedMessages;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.vertx.mutiny.redis.client.Response;

/**
 * At-least-once reader of one Redis Stream through a consumer group, shared by the services that consume the
 * proxy's usage events ({@code acc:usage}, {@code docs/USAGE-EVENTS.md}) so each keeps only what it does with
 * an event.
 *
 * <p>Every instance of a service joins the same group under its own consumer name and reads on a dedicated
 * thread (the blocking {@code XREADGROUP} never runs on an event loop). An event is acknowledged only when the
 * {@link Handler} says it is done with; one it leaves pending is claimed again with {@code XAUTOCLAIM} once idle
 * for {@code claimIdleTime} — by any instance, so a crashed instance's events are not lost either. When Redis
 * itself fails the round is retried after {@code errorBackoff}; the group (and stream) is created again when it
 * is missing, e.g. after Redis lost its data.
 *
 * <p>Not a CDI bean: a service builds one from its own configuration and owns its lifecycle and metrics.
 */
public final class StreamGroupConsumer {

    private static final Logger LOG = Logger.getLogger(StreamGroupConsumer.class);

    /** What to do with one event. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Processes one event; answers true when it is done with (acknowledge it: processed, a duplicate, or
         * malformed beyond repair) and false to leave it pending for a retry. Must not throw for a bad event.
         */
        boolean handle(String streamId, Map<String, String> fields);
    }

    /**
     * @param stream        the stream key
     * @param group         the consumer group, one per consuming service
     * @param consumerName  this instance's name in the group
     * @param batchSize     most events read (or claimed) per call
     * @param blockTime     how long one {@code XREADGROUP} waits for new events (also bounds a shutdown)
     * @param claimIdleTime how long an event may stay delivered but unacknowledged before it is claimed again
     * @param errorBackoff  wait after a round that failed on Redis itself
     */
    public record Settings(String stream, String group, String consumerName, int batchSize, Duration blockTime,
            Duration claimIdleTime, Duration errorBackoff) {
    }

    private final Settings settings;
    private final Handler handler;
    private final RedisDataSource redis;
    private final StreamCommands<String, String, String> streams;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();

    private volatile boolean running;
    private ExecutorService thread;

    public StreamGroupConsumer(RedisDataSource redis, Settings settings, Handler handler) {
        this.redis = redis;
        this.settings = settings;
        this.handler = handler;
        this.streams = redis.stream(String.class, String.class, String.class);
    }

    /** A consumer name unique to this process: host name and process id. */
    public static String defaultConsumerName(String fallbackHost) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = fallbackHost;
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    public Settings settings() {
        return settings;
    }

    /** Starts reading on a daemon thread of that name. */
    public synchronized void start(String threadName) {
        if (running) {
            return;
        }
        running = true;
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        thread.execute(this::loop);
        LOG.infof("consuming %s as %s in group %s", settings.stream(), settings.consumerName(), settings.group());
    }

    /** Stops after the current round (a blocked read returns within block time). */
    public synchronized void stop() {
        running = false;
        if (thread == null) {
            return;
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(settings.blockTime().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    /** Events delivered to the group but not yet acknowledged, as of the last round. */
    public long pending() {
        return pending.get();
    }

    /** Events in the stream not yet delivered to the group ({@code XINFO GROUPS} lag), as of the last round. */
    public long lag() {
        return lag.get();
    }

    private void loop() {
        boolean groupReady = false;
        while (running) {
            try {
                if (!groupReady) {
                    ensureGroup();
                    groupReady = true;
                }
                round();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // NOGROUP (stream or group deleted, e.g. Redis flushed): create them again next round.
                groupReady = false;
                LOG.warnf("%s consumer round failed, retrying in %s: %s", settings.stream(), settings.errorBackoff(),
                        e.toString());
                sleep(settings.errorBackoff());
            }
        }
    }

    /** One round: claim stale pending events, read new ones, refresh pending and lag. */
    public void round() {
        String cursor = "0-0";
        do {
            ClaimedMessages<String, String, String> claimed = streams.xautoclaim(settings.stream(), settings.group(),
                    settings.consumerName(), settings.claimIdleTime(), cursor, settings.batchSize());
            process(claimed.getMessages());
            cursor = claimed.getId();
        } while (running && cursor != null && !"0-0".equals(cursor));

        List<StreamMessage<String, String, String>> fresh = streams.xreadgroup(settings.group(),
                settings.consumerName(), settings.stream(), ">",
                new XReadGroupArgs().count(settings.batchSize()).block(settings.blockTime()));
        process(fresh);
        refreshGauges();
    }

    private void process(List<StreamMessage<String, String, String>> messages) {
        if (messages == null) {
            return;
        }
        for (StreamMessage<String, String, String> m : messages) {
            if (handler.handle(m.id(), m.payload())) {
                streams.xack(settings.stream(), settings.group(), m.id());
            }
        }
    }

    /** Creates the group (and the stream) reading from the start; an existing group is kept. */
    public void ensureGroup() {
        try {
            streams.xgroupCreate(settings.stream(), settings.group(), "0", new XGroupCreateArgs().mkstream());
            LOG.infof("created consumer group %s on %s", settings.group(), settings.stream());
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Refreshes {@link #pending()} and {@link #lag()} from XPENDING and XINFO GROUPS. */
    public void refreshGauges() {
        pending.set(streams.xpending(settings.stream(), settings.group()).getPendingCount());
        Response groups = redis.execute("XINFO", "GROUPS", settings.stream());
        if (groups == null) {
            return;
        }
        for (Response g : groups) {
            Map<String, Response> fields = fields(g);
            Response name = fields.get("name");
            Response l = fields.get("lag");
            // lag is nil when Redis cannot tell (entries deleted mid-stream): keep the last value.
            if (name != null && settings.group().equals(name.toString()) && l != null) {
                lag.set(l.toLong());
            }
        }
    }

    /** The fields of one XINFO entry, whether Redis answered a RESP3 map or a RESP2 flat list. */
    private static Map<String, Response> fields(Response entry) {
        Map<String, Response> out = new HashMap<>();
        if (!entry.getKeys().isEmpty()) {
            for (String k : entry.getKeys()) {
                out.put(k, entry.get(k));
            }
        } else {
            for (int i = 0; i + 1 < entry.size(); i += 2) {
                out.put(entry.get(i).toString(), entry.get(i + 1));
            }
        }
        return out;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
