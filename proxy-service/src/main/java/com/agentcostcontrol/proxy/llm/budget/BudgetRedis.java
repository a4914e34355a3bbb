package com.agentcostcontrol.proxy.llm.budget;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.budget.core.ratelimit.RateLimiter;
import com.agentcostcontrol.platform.redis.RedisScriptExecutor;
import com.agentcostcontrol.platform.redis.vertx.VertxRedisScriptExecutor;
import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.redis.HotPathRedis;

import io.vertx.redis.client.Redis;

/** budget-core's engine and rate limiter on the call path's Redis ({@link HotPathRedis}). */
@ApplicationScoped
public class BudgetRedis {

    private final BudgetEngine engine;
    private final RateLimiter rateLimiter;

    @Inject
    public BudgetRedis(HotPathRedis redis, ProxyConfig config) {
        // The executor times scripts out itself (and drops a connection that stopped answering).
        this(redis.executor(), config.budget(), null);
    }

    /** On any Vert.x Redis client (tests point one at an unreachable server). */
    BudgetRedis(Redis client, ProxyConfig.Budget b) {
        this(new VertxRedisScriptExecutor(client), b, b.redisTimeout());
    }

    /** @param timeout the engine's own wait for Redis; null when the executor enforces one */
    private BudgetRedis(RedisScriptExecutor executor, ProxyConfig.Budget b, Duration timeout) {
        BudgetEngine.Settings d = BudgetEngine.Settings.defaults();
        this.engine = new BudgetEngine(executor, new BudgetEngine.Settings(b.leaseTtl(), b.settledMarkerTtl(),
                d.counterGrace(), d.sweepLimit(), timeout));
        RateLimiter.Settings r = RateLimiter.Settings.defaults();
        this.rateLimiter = new RateLimiter(executor, new RateLimiter.Settings(b.leaseTtl(), r.busyRetryAfter(), timeout));
    }

    public BudgetEngine engine() {
        return engine;
    }

    public RateLimiter rateLimiter() {
        return rateLimiter;
    }
}
