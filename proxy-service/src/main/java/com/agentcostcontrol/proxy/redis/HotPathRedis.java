package com.agentcostcontrol.proxy.redis;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.agentcostcontrol.platform.redis.RedisScriptExecutor;
import com.agentcostcontrol.platform.redis.vertx.EventLoopScriptExecutor;
import com.agentcostcontrol.proxy.config.ProxyConfig;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * The Redis script executor of the call path (budget reservations, rate limits, deployment health): one
 * pipelined connection per event loop to the same server as Quarkus' client ({@code quarkus.redis.hosts}),
 * which stays the fallback off the event loops. Why: {@link EventLoopScriptExecutor}.
 */
@ApplicationScoped
public class HotPathRedis {

    private final EventLoopScriptExecutor executor;

    @Inject
    public HotPathRedis(Vertx vertx, ReactiveRedisDataSource redis, ProxyConfig config,
            @ConfigProperty(name = "quarkus.redis.hosts") String hosts,
            @ConfigProperty(name = "quarkus.redis.max-pool-waiting", defaultValue = "4096") int maxWaiting) {
        // One connection per event loop, pipelining up to maxWaiting scripts.
        RedisOptions perLoop = new RedisOptions()
                .setConnectionString(hosts.split(",")[0].trim())
                .setMaxPoolSize(1)
                .setMaxPoolWaiting(maxWaiting)
                .setMaxWaitingHandlers(maxWaiting);
        this.executor = new EventLoopScriptExecutor(vertx, () -> Redis.createClient(vertx, new RedisOptions(perLoop)),
                redis.getRedis().getDelegate(), config.budget().redisTimeout());
    }

    public RedisScriptExecutor executor() {
        return executor;
    }

    @PreDestroy
    void close() {
        executor.close();
    }
}
