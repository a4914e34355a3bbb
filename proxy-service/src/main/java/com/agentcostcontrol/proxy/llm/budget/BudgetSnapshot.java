package com.agentcostcontrol.proxy.llm.budget;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.core.BudgetDefinitionReader;
import com.agentcostcontrol.budget.core.BudgetMatcher;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The budget definitions as the hot path matches them: read whole from Postgres (off the event loop) at
 * start, when budget-service publishes on {@value #CHANNEL}, and every
 * {@code acc.proxy.budget.refresh-interval} (the only way a missed message or a deletion is seen). A
 * failed read keeps the last good snapshot.
 */
@ApplicationScoped
public class BudgetSnapshot {

    public static final String CHANNEL = "acc:budgets:changed";

    private static final Logger LOG = Logger.getLogger(BudgetSnapshot.class);

    private final DataSource dataSource;
    private final ReactiveRedisDataSource redis;
    private final AtomicBoolean reloadQueued = new AtomicBoolean();
    private volatile BudgetMatcher matcher = BudgetMatcher.empty();

    public BudgetSnapshot(DataSource dataSource, ReactiveRedisDataSource redis) {
        this.dataSource = dataSource;
        this.redis = redis;
    }

    void onStart(@Observes StartupEvent event) {
        reload();
        redis.pubsub(String.class).subscribe(CHANNEL)
                .onFailure().invoke(e -> LOG.warnf("budget change subscription lost (%s); periodic reload covers it",
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(message -> reloadSoon());
    }

    public BudgetMatcher matcher() {
        return matcher;
    }

    /** Queues one reload on a worker thread; messages arriving meanwhile coalesce into it. */
    public void reloadSoon() {
        if (reloadQueued.compareAndSet(false, true)) {
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                reloadQueued.set(false);
                reload();
            });
        }
    }

    @Scheduled(every = "${acc.proxy.budget.refresh-interval:5s}", delayed = "${acc.proxy.budget.refresh-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodicReload() {
        reload();
    }

    /** Blocking (JDBC): call from a worker thread. Returns whether the snapshot was replaced. */
    public synchronized boolean reload() {
        try (Connection c = dataSource.getConnection()) {
            matcher = new BudgetMatcher(BudgetDefinitionReader.all(c));
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("budget snapshot reload failed, keeping the last good one (%d budgets): %s", matcher.size(),
                    e.getMessage());
            return false;
        }
    }
}
