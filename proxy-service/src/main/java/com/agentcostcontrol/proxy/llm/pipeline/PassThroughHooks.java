package com.agentcostcontrol.proxy.llm.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import io.quarkus.arc.DefaultBean;
import io.vertx.core.Future;

/**
 * The defaults of the {@link Hooks} extension points: they let every call through. They are not
 * placeholders for logic: rate limiting, scanning and budgets are separate issues whose beans
 * replace these.
 */
@ApplicationScoped
public class PassThroughHooks {

    @Produces
    @DefaultBean
    @Singleton
    Hooks.RateLimiter rateLimiter() {
        return call -> Future.succeededFuture();
    }

    @Produces
    @DefaultBean
    @Singleton
    Hooks.PreCallScanner preCallScanner() {
        return call -> Future.succeededFuture();
    }

    @Produces
    @DefaultBean
    @Singleton
    Hooks.PostCallScanner postCallScanner() {
        return call -> Future.succeededFuture();
    }

    @Produces
    @DefaultBean
    @Singleton
    Hooks.StreamScanner streamScanner() {
        return call -> null;
    }

    @Produces
    @DefaultBean
    @Singleton
    Hooks.BudgetGuard budgetGuard() {
        return call -> Future.succeededFuture();
    }
}
