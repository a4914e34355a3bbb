package com.agentcostcontrol.proxy.llm.budget;

import java.time.Duration;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.budget.core.Reservation;

import io.vertx.core.Context;

/**
 * Keeps one call's reservation lease alive while the call runs: every third of the lease TTL it extends
 * the lease to a full TTL ({@link BudgetEngine#renew}), so a stream or a slow upstream longer than
 * {@code acc.proxy.budget.lease-ttl} keeps its hold, while a crashed proxy (no more renewals) gives it back
 * within one TTL. Stopped by settle/release; also stops by itself once the lease is gone (renew never
 * revives an expired lease, so there is nothing left to keep).
 */
final class LeaseRenewal {

    private static final Logger LOG = Logger.getLogger(LeaseRenewal.class);
    /** Never renew more often than this, whatever the TTL (a tiny TTL in tests must not flood Redis). */
    private static final long MIN_PERIOD_MS = 100;

    private final Context context;
    private final long timerId;
    private volatile boolean stopped;

    private LeaseRenewal(Context context, BudgetEngine engine, Reservation reservation, Duration ttl) {
        this.context = context;
        long period = Math.max(MIN_PERIOD_MS, ttl.toMillis() / 3);
        this.timerId = context.owner().setPeriodic(period, id -> renew(engine, reservation, ttl));
    }

    /** Starts renewing on the call's Vert.x context (the timer fires on the call's event loop). */
    static LeaseRenewal start(Context context, BudgetEngine engine, Reservation reservation, Duration ttl) {
        return new LeaseRenewal(context, engine, reservation, ttl);
    }

    private void renew(BudgetEngine engine, Reservation reservation, Duration ttl) {
        if (stopped) {
            return;
        }
        engine.renew(reservation, ttl).whenComplete((alive, e) -> {
            if (e != null) {
                // Redis unreachable for a moment: try again next period; the lease lasts a full TTL meanwhile.
                LOG.warnf("budget lease renewal of %s failed: %s", reservation.id(), e.toString());
            } else if (!alive && !stopped) {
                LOG.warnf("budget lease of %s expired before the call ended; its spend is still settled", reservation.id());
                stop();
            }
        });
    }

    void stop() {
        stopped = true;
        context.owner().cancelTimer(timerId);
    }
}
