package com.agentcostcontrol.budget.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.platform.redis.vertx.VertxRedisScriptExecutor;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;

/** The one {@link BudgetEngine} of this service, on the Quarkus Redis client's connection pool. */
@ApplicationScoped
public class EngineProducer {

    @Produces
    @Singleton
    BudgetEngine budgetEngine(ReactiveRedisDataSource redis, BudgetConfig config) {
        BudgetConfig.Protocol p = config.protocol();
        return new BudgetEngine(new VertxRedisScriptExecutor(redis.getRedis().getDelegate()),
                new BudgetEngine.Settings(p.leaseTtl(), p.settledMarkerTtl(), p.counterGrace(), p.sweepLimit(),
                        p.redisTimeout()));
    }
}
