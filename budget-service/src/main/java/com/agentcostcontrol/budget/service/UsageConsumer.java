package com.agentcostcontrol.budget.service;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.SettledCall;
import com.agentcostcontrol.budget.config.BudgetConfig;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetMatcher;
import com.agentcostcontrol.budget.core.CallContext;
import com.agentcostcontrol.budget.repository.BudgetRepository;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.ClaimedMessages;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Response;

/**
 * Durable consumer of the proxy's usage events ({@code acc:usage}, {@code docs/USAGE-EVENTS.md}): records
 * every priced call in {@code budget_ledger} through {@link LedgerService#recordSettled}, which is idempotent
 * on the request id, so the stream's at-least-once delivery charges each call once.
 *
 * <p>One Redis consumer group ({@code budget-service}) shared by all instances; each instance reads with its
 * own consumer name on a dedicated thread (the blocking {@code XREADGROUP} never runs on the event loop). An
 * event is acknowledged only after it is recorded (or found to have nothing to charge); one that fails stays
 * pending and is claimed again with {@code XAUTOCLAIM} once idle for {@code claim-idle-time} — by any
 * instance, so a crashed instance's events are not lost. A malformed event is acknowledged and counted
 * (retrying cannot fix it); its log line names the stream id and the reason, never event content.
 */
@ApplicationScoped
public class UsageConsumer {

    private static final Logger LOG = Logger.getLogger(UsageConsumer.class);

    private final BudgetConfig.Consumer config;
    private final LedgerService ledger;
    private final BudgetRepository budgets;
    private final StreamCommands<String, String, String> streams;
    private final RedisDataSource redis;
    private final String consumerName;
    private final Counter recorded;
    private final Counter duplicates;
    private final Counter notCharged;
    private final Counter failed;
    private final Counter poison;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();

    private volatile boolean running;
    private ExecutorService thread;

    public UsageConsumer(BudgetConfig config, LedgerService ledger, BudgetRepository budgets, RedisDataSource redis,
            MeterRegistry metrics) {
        this.config = config.consumer();
        this.ledger = ledger;
        this.budgets = budgets;
        this.redis = redis;
        this.streams = redis.stream(String.class, String.class, String.class);
        this.consumerName = this.config.name().orElseGet(UsageConsumer::defaultName);
        String consumed = "acc.budget.usage.consumed";
        String help = "Usage events processed and acknowledged, by result";
        this.recorded = Counter.builder(consumed).description(help).tag("result", "recorded").register(metrics);
        this.duplicates = Counter.builder(consumed).description(help).tag("result", "duplicate").register(metrics);
        this.notCharged = Counter.builder(consumed).description(help).tag("result", "no_cost").register(metrics);
        this.failed = Counter.builder("acc.budget.usage.failed")
                .description("Usage event attempts that failed and were left pending for a retry").register(metrics);
        this.poison = Counter.builder("acc.budget.usage.poison")
                .description("Malformed usage events, acknowledged without being recorded").register(metrics);
        Gauge.builder("acc.budget.usage.pending", pending, AtomicLong::get)
                .description("Usage events delivered to the group but not yet acknowledged").register(metrics);
        Gauge.builder("acc.budget.usage.lag", lag, AtomicLong::get)
                .description("Usage events in the stream not yet delivered to the group (XINFO GROUPS lag)")
                .register(metrics);
    }

    void start(@Observes StartupEvent ev) {
        if (!config.enabled()) {
            LOG.info("usage-event consumer disabled (acc.budget.consumer.enabled=false)");
            return;
        }
        running = true;
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "acc-usage-consumer");
            t.setDaemon(true);
            return t;
        });
        thread.execute(this::loop);
        LOG.infof("consuming %s as %s in group %s", config.stream(), consumerName, config.group());
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        if (thread != null) {
            thread.shutdown();
            try {
                // The thread finishes its round; a blocked read returns within block-time.
                if (!thread.awaitTermination(config.blockTime().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                    thread.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** This instance's consumer name. */
    public String consumerName() {
        return consumerName;
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
                LOG.warnf("usage-event consumer round failed, retrying in %s: %s", config.errorBackoff(), e.toString());
                sleep(config.errorBackoff());
            }
        }
    }

    /** One round: claim stale pending events, read new ones, refresh the gauges. */
    void round() {
        String cursor = "0-0";
        do {
            ClaimedMessages<String, String, String> claimed = streams.xautoclaim(config.stream(), config.group(),
                    consumerName, config.claimIdleTime(), cursor, config.batchSize());
            process(claimed.getMessages());
            cursor = claimed.getId();
        } while (running && cursor != null && !"0-0".equals(cursor));

        List<StreamMessage<String, String, String>> fresh = streams.xreadgroup(config.group(), consumerName,
                config.stream(), ">", new XReadGroupArgs().count(config.batchSize()).block(config.blockTime()));
        process(fresh);
        refreshGauges();
    }

    private void process(List<StreamMessage<String, String, String>> messages) {
        if (messages == null) {
            return;
        }
        for (StreamMessage<String, String, String> m : messages) {
            if (handle(m)) {
                streams.xack(config.stream(), config.group(), m.id());
            }
        }
    }

    /** Answers whether the event is done with (to acknowledge); false leaves it pending for a retry. */
    private boolean handle(StreamMessage<String, String, String> m) {
        UsageEvents.Usage usage;
        try {
            usage = UsageEvents.parse(m.payload());
        } catch (UsageEvents.PoisonEvent e) {
            poison.increment();
            LOG.warnf("malformed usage event %s in %s acknowledged without recording: %s", m.id(), config.stream(),
                    e.getMessage());
            return true;
        }
        if (!usage.chargeable()) {
            notCharged.increment();
            return true;
        }
        try {
            // The budgets the proxy's reservation charged, so the ledger agrees with the Redis counters even if a
            // budget changed since the call; events without them (older proxies, no reservation) are re-matched.
            List<UUID> matched = usage.budgetIds() != null ? usage.budgetIds() : matchBudgets(usage);
            boolean inserted = ledger.recordSettled(new SettledCall(usage.requestId(), usage.tenantId(), matched,
                    usage.keyId(), usage.agentId(), usage.model(), usage.costMicros(), usage.at()));
            (inserted ? recorded : duplicates).increment();
            return true;
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warnf("usage event %s (request %s) not recorded, left pending for a retry: %s", m.id(),
                    usage.requestId(), e.toString());
            return false;
        }
    }

    private List<UUID> matchBudgets(UsageEvents.Usage u) {
        List<BudgetDefinition> definitions = budgets.ofTenant(u.tenantId()).stream().map(Budget::definition).toList();
        CallContext call = new CallContext(u.tenantId().toString(), u.keyId() == null ? null : u.keyId().toString(),
                u.agentId(), u.model());
        return new BudgetMatcher(definitions).match(call).stream().map(d -> UUID.fromString(d.id())).toList();
    }

    private void ensureGroup() {
        try {
            streams.xgroupCreate(config.stream(), config.group(), "0", new XGroupCreateArgs().mkstream());
            LOG.infof("created consumer group %s on %s", config.group(), config.stream());
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /**
     * Waits until every event appended to the stream before this call is recorded: the group's last-delivered id
     * has reached the stream's last id of now, and no event up to it is still pending (unacknowledged). Events
     * appended meanwhile do not count, so a busy stream cannot keep it waiting. Whichever instance consumes them
     * does not matter: it reads the group's state. Answers false if that did not happen within {@code max}.
     */
    public boolean awaitConsumed(Duration max) {
        String target = lastStreamId();
        if (target == null || "0-0".equals(target)) {
            return true; // no stream (or never written): nothing to wait for
        }
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            if (consumedUpTo(target)) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private String lastStreamId() {
        Response info;
        try {
            info = redis.execute("XINFO", "STREAM", config.stream());
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("no such key")) {
                return null;
            }
            throw e;
        }
        Response last = info == null ? null : fields(info).get("last-generated-id");
        return last == null ? null : last.toString();
    }

    private boolean consumedUpTo(String target) {
        String delivered = null;
        Response groups = redis.execute("XINFO", "GROUPS", config.stream());
        if (groups != null) {
            for (Response g : groups) {
                Map<String, Response> fields = fields(g);
                Response name = fields.get("name");
                if (name != null && config.group().equals(name.toString()) && fields.get("last-delivered-id") != null) {
                    delivered = fields.get("last-delivered-id").toString();
                }
            }
        }
        if (delivered == null || compareIds(delivered, target) < 0) {
            return false; // no group yet, or events up to target not yet delivered (lag)
        }
        return streams.xpending(config.stream(), config.group(), StreamRange.of("-", target), 1).isEmpty();
    }

    /** Orders stream ids ({@code <ms>-<seq>}) numerically. */
    static int compareIds(String a, String b) {
        int ia = a.indexOf('-');
        int ib = b.indexOf('-');
        int c = Long.compare(Long.parseLong(a.substring(0, ia)), Long.parseLong(b.substring(0, ib)));
        return c != 0 ? c : Long.compare(Long.parseLong(a.substring(ia + 1)), Long.parseLong(b.substring(ib + 1)));
    }

    /** Refreshes the pending and lag gauges from XPENDING and XINFO GROUPS. */
    void refreshGauges() {
        pending.set(streams.xpending(config.stream(), config.group()).getPendingCount());
        Response groups = redis.execute("XINFO", "GROUPS", config.stream());
        if (groups == null) {
            return;
        }
        for (Response g : groups) {
            Map<String, Response> fields = fields(g);
            Response name = fields.get("name");
            Response l = fields.get("lag");
            if (name != null && config.group().equals(name.toString())) {
                // lag is nil when Redis cannot tell (entries deleted mid-stream): keep the last value.
                if (l != null) {
                    lag.set(l.toLong());
                }
            }
        }
    }

    /** The fields of one XINFO entry, whether Redis answered a RESP3 map or a RESP2 flat list. */
    private static Map<String, Response> fields(Response entry) {
        Map<String, Response> out = new java.util.HashMap<>();
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

    private static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "budget-service";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
