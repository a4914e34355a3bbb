package com.agentcostcontrol.proxy.redis;

import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.agentcostcontrol.platform.redis.RedisScriptExecutor;
import com.agentcostcontrol.platform.redis.vertx.EventLoopScriptExecutor;
import com.agentcostcontrol.proxy.config.ProxyConfig;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * The Redis script executor of the call path (budget reservations, rate limits, deployment health): one
 * pipelined connection per event loop to the same server as Quarkus' client (the first of
 * {@code quarkus.redis.hosts}), which stays the fallback off the event loops and the only client for
 * non-standalone topologies. Why: {@link EventLoopScriptExecutor}.
 */
@ApplicationScoped
public class HotPathRedis {

    private static final Logger LOG = Logger.getLogger(HotPathRedis.class);

    private final EventLoopScriptExecutor executor;

    @Inject
    public HotPathRedis(Vertx vertx, ReactiveRedisDataSource redis, ProxyConfig config,
            @ConfigProperty(name = "quarkus.redis.hosts") String hosts,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType,
            @ConfigProperty(name = "quarkus.redis.max-pool-waiting", defaultValue = "4096") int maxWaiting) {
        Supplier<Redis> perLoop = null;
        if ("standalone".equalsIgnoreCase(clientType)) {
            // One connection per event loop, pipelining up to maxWaiting scripts.
            RedisOptions options = new RedisOptions()
                    .setConnectionString(hosts.split(",")[0].trim())
                    .setMaxPoolSize(1)
                    .setMaxPoolWaiting(maxWaiting)
                    .setMaxWaitingHandlers(maxWaiting);
            perLoop = () -> Redis.createClient(vertx, new RedisOptions(options));
        } else {
            // Cluster / sentinel / replication topologies stay with Quarkus' client, which knows them.
            LOG.infof("quarkus.redis.client-type=%s: call-path scripts use the pooled Redis client", clientType);
        }
        this.executor = new EventLoopScriptExecutor(vertx, perLoop, redis.getRedis().getDelegate(),
                config.budget().redisTimeout());
    }

    public RedisScriptExecutor executor() {
        return executor;
    }

    @PreDestroy
    void close() {
        executor.close();
    }
}
