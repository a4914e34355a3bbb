package com.agentcostcontrol.proxy.llm.budget;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.vertx.core.Vertx;

/**
 * Keeps one call's Redis leases alive while the call runs — a budget reservation ({@code BudgetEngine#renew})
 * or a rate-limit concurrency permit ({@code RateLimiter#renew}): every third of the lease TTL it extends the
 * lease to a full TTL, so a stream or a slow upstream longer than {@code acc.proxy.budget.lease-ttl} keeps its
 * hold, while a crashed proxy (no more renewals) gives it back within one TTL. Stopped by settle/release; also
 * stops by itself once the lease is gone (renew never revives an expired lease, so there is nothing left to keep).
 */
final class LeaseRenewal {

    /** Never renew more often than this, whatever the TTL (a tiny TTL in tests must not flood Redis). */
    private static final long MIN_PERIOD_MS = 100;

    private final Vertx vertx;
    private final long timerId;
    private volatile boolean stopped;

    /**
     * @param renew     extends the lease to a full TTL; answers false when the lease is gone
     * @param onError   a renewal that could not reach Redis (the next period tries again; the lease lasts a TTL)
     * @param onExpired the lease was gone before the call ended
     */
    private LeaseRenewal(Vertx vertx, Duration ttl, Supplier<CompletionStage<Boolean>> renew, Consumer<Throwable> onError,
            Runnable onExpired) {
        this.vertx = vertx;
        long period = Math.max(MIN_PERIOD_MS, ttl.toMillis() / 3);
        this.timerId = vertx.setPeriodic(period, id -> renew(renew, onError, onExpired));
    }

    /** Starts renewing; the timer fires on the event loop of the caller's context. */
    static LeaseRenewal start(Vertx vertx, Duration ttl, Supplier<CompletionStage<Boolean>> renew,
            Consumer<Throwable> onError, Runnable onExpired) {
        return new LeaseRenewal(vertx, ttl, renew, onError, onExpired);
    }

    private void renew(Supplier<CompletionStage<Boolean>> renew, Consumer<Throwable> onError, Runnable onExpired) {
        if (stopped) {
            return;
        }
        CompletionStage<Boolean> stage;
        try {
            stage = renew.get();
        } catch (RuntimeException e) {
            onError.accept(e);
            return;
        }
        stage.whenComplete((alive, e) -> {
            if (e != null) {
                onError.accept(e);
            } else if (!alive && !stopped) {
                onExpired.run();
                stop();
            }
        });
    }

    void stop() {
        stopped = true;
        vertx.cancelTimer(timerId);
    }
}
