package com.agentcostcontrol.proxy.llm.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.security.core.Action;
import com.agentcostcontrol.security.core.Category;
import com.agentcostcontrol.security.core.Policy;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The tenants' scanning policies as the hot path reads them: table {@code security_policies} read
 * whole (off the event loop) at start, when security-service publishes on {@value #CHANNEL}, and
 * every {@code acc.proxy.security.refresh-interval} (the only way a missed message is seen). A failed
 * read keeps the last good snapshot; a tenant without a row gets {@link Policy#DEFAULT}.
 */
@ApplicationScoped
public class SecurityPolicies {

    public static final String CHANNEL = "acc:security:changed";

    private static final Logger LOG = Logger.getLogger(SecurityPolicies.class);

    private final DataSource dataSource;
    private final ReactiveRedisDataSource redis;
    private final AtomicBoolean reloadQueued = new AtomicBoolean();
    private volatile Map<UUID, Policy> byTenant = Map.of();

    public SecurityPolicies(DataSource dataSource, ReactiveRedisDataSource redis) {
        this.dataSource = dataSource;
        this.redis = redis;
    }

    void onStart(@Observes StartupEvent event) {
        reload();
        redis.pubsub(String.class).subscribe(CHANNEL)
                .onFailure().invoke(e -> LOG.warnf("security policy subscription lost (%s); periodic reload covers it",
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).indefinitely()
                .subscribe().with(message -> reloadSoon());
    }

    /** The tenant's policy, or the default. Never blocks. */
    public Policy forTenant(UUID tenantId) {
        Policy p = tenantId == null ? null : byTenant.get(tenantId);
        return p == null ? Policy.DEFAULT : p;
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

    @Scheduled(every = "${acc.proxy.security.refresh-interval:5s}", delayed = "${acc.proxy.security.refresh-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodicReload() {
        reload();
    }

    /** Blocking (JDBC): call from a worker thread. Returns whether the snapshot was replaced. */
    public synchronized boolean reload() {
        Map<UUID, Policy> loaded = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT tenant_id, prompt_secrets, prompt_pii, prompt_injection, response_secrets, response_pii,"
                        + " response_injection FROM security_policies");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                loaded.put(rs.getObject(1, UUID.class), new Policy(
                        actions(rs.getString(2), rs.getString(3), rs.getString(4)),
                        actions(rs.getString(5), rs.getString(6), rs.getString(7))));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("security policy snapshot reload failed, keeping the last good one (%d tenants): %s",
                    byTenant.size(), e.getMessage());
            return false;
        }
        byTenant = Map.copyOf(loaded);
        return true;
    }

    private static Map<Category, Action> actions(String secrets, String pii, String injection) {
        Map<Category, Action> m = new EnumMap<>(Category.class);
        m.put(Category.SECRETS, Action.parse(secrets));
        m.put(Category.PII, Action.parse(pii));
        m.put(Category.INJECTION, Action.parse(injection));
        return m;
    }
}
