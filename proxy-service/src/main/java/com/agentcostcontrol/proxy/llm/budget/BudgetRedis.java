package com.agentcostcontrol.proxy.llm.budget;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.budget.core.ratelimit.RateLimiter;
import com.agentcostcontrol.platform.redis.vertx.VertxRedisScriptExecutor;
import com.agentcostcontrol.proxy.config.ProxyConfig;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.redis.client.Redis;

/** budget-core's engine and rate limiter on the proxy's Vert.x Redis client (one script executor). */
@ApplicationScoped
public class BudgetRedis {

    private final BudgetEngine engine;
    private final RateLimiter rateLimiter;

    @Inject
    public BudgetRedis(ReactiveRedisDataSource redis, ProxyConfig config) {
        this(redis.getRedis().getDelegate(), config.budget());
    }

    /** On any Vert.x Redis client (tests point one at an unreachable server). */
    BudgetRedis(Redis client, ProxyConfig.Budget b) {
        VertxRedisScriptExecutor executor = new VertxRedisScriptExecutor(client);
        BudgetEngine.Settings d = BudgetEngine.Settings.defaults();
        this.engine = new BudgetEngine(executor, new BudgetEngine.Settings(b.leaseTtl(), d.settledMarkerTtl(),
                d.counterGrace(), d.sweepLimit(), b.redisTimeout()));
        RateLimiter.Settings r = RateLimiter.Settings.defaults();
        this.rateLimiter = new RateLimiter(executor, new RateLimiter.Settings(b.leaseTtl(), r.busyRetryAfter(), b.redisTimeout()));
    }

    public BudgetEngine engine() {
        return engine;
    }

    public RateLimiter rateLimiter() {
        return rateLimiter;
    }
}
