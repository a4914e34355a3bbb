package com.agentcostcontrol.proxy.llm.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.budget.core.BudgetScope;
import com.agentcostcontrol.budget.core.CallContext;
import com.agentcostcontrol.budget.core.Money;
import com.agentcostcontrol.budget.core.PeriodWindow;
import com.agentcostcontrol.budget.core.Reservation;
import com.agentcostcontrol.budget.core.ReserveOutcome;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitHeaders;
import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.usage.Prices;
import com.agentcostcontrol.proxy.llm.usage.TokenEstimator;
import com.agentcostcontrol.router.pricing.CostEstimator;
import com.agentcostcontrol.router.pricing.ModelPrice;
import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Filters {@code budget-reserve} / {@code settle} with budget-core: holds the call's worst-case cost against
 * every budget that applies to it in one all-or-nothing {@link BudgetEngine#reserve}, and replaces the hold
 * with the real cost afterwards. Non-blocking: the snapshot is in memory and the engine talks to Redis
 * through the Vert.x client.
 */
@ApplicationScoped
public class BudgetGuardService implements Hooks.BudgetGuard {

    /** Where the reservation waits for {@code settle} (the exchange lives exactly as long as the call). */
    static final String RESERVATION = "acc.budget.reservation";
    /** The call's {@link LeaseRenewal}, stopped by {@code settle}. */
    static final String RENEWAL = "acc.budget.renewal";

    private static final Logger LOG = Logger.getLogger(BudgetGuardService.class);

    private final BudgetSnapshot snapshot;
    private final BudgetEngine engine;
    private final Prices prices;
    private final boolean failOpen;
    private final Duration leaseTtl;
    /** Budgets' downgrade policies; null (policies ignored) in a guard built by hand for a test. */
    private final BudgetDowngrades downgrades;
    /** {@code acc_budget_reservation_seconds}; null in a guard built by hand for a test. */
    private final Timer reservationTime;

    @Inject
    public BudgetGuardService(BudgetSnapshot snapshot, BudgetRedis redis, Prices prices, ProxyConfig config,
            BudgetDowngrades downgrades, MeterRegistry metrics) {
        this(snapshot, redis, prices, config.budget().failOpen(), config.budget().leaseTtl(), downgrades,
                Timer.builder("acc.budget.reservation")
                        .description("Time the budget-reserve filter waits for one reserve script (Redis round trip "
                                + "included): what budgets add to a call before it goes upstream")
                        .publishPercentiles(0.5, 0.9, 0.99)
                        .register(metrics));
    }

    BudgetGuardService(BudgetSnapshot snapshot, BudgetRedis redis, Prices prices, boolean failOpen, Duration leaseTtl) {
        this(snapshot, redis, prices, failOpen, leaseTtl, null, null);
    }

    private BudgetGuardService(BudgetSnapshot snapshot, BudgetRedis redis, Prices prices, boolean failOpen,
            Duration leaseTtl, BudgetDowngrades downgrades, Timer reservationTime) {
        this.snapshot = snapshot;
        this.engine = redis.engine();
        this.prices = prices;
        this.failOpen = failOpen;
        this.leaseTtl = leaseTtl;
        this.downgrades = downgrades;
        this.reservationTime = reservationTime;
    }

    @Override
    public Future<Void> reserve(LlmCall call) {
        if (call.key == null || snapshot.matcher().size() == 0) {
            return Future.succeededFuture();
        }
        String tenant = call.key.tenantId().toString();
        List<BudgetDefinition> budgets = snapshot.matcher()
                .match(new CallContext(tenant, call.key.keyId().toString(), call.agentId, call.requestedModel));
        if (budgets.isEmpty()) {
            return Future.succeededFuture();
        }
        long amount = worstCaseMicros(call);
        if (downgrades != null && BudgetDowngrades.anyPolicy(budgets)) {
            return reserveOrDowngrade(call, tenant, amount, budgets);
        }
        return attempt(call, tenant, amount, budgets).transform(ar -> conclude(call, budgets, amount, ar, ""));
    }

    /** One all-or-nothing reservation of {@code amount} against {@code budgets}, completed on the call's context. */
    private Future<ReserveOutcome> attempt(LlmCall call, String tenant, long amount, List<BudgetDefinition> budgets) {
        Context context = Vertx.currentContext();
        long started = System.nanoTime();
        CompletionStage<ReserveOutcome> stage;
        try {
            stage = engine.reserve(tenant, call.requestId, amount, budgets, Instant.now(), leaseTtl);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (reservationTime != null) {
            stage = stage.whenComplete((o, e) -> reservationTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
        }
        return context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
    }

    /** Admitted: keep the reservation for settle; refused: 429 naming the budget; unknown: the Redis policy. */
    private Future<Void> conclude(LlmCall call, List<BudgetDefinition> budgets, long amount, AsyncResult<ReserveOutcome> ar,
            String note) {
        if (ar.failed()) {
            return unavailable(call, budgets, "the budget store (Redis) cannot be reached: " + ar.cause().getMessage());
        }
        ReserveOutcome o = ar.result();
        if (o instanceof ReserveOutcome.Admitted a) {
            call.exchange.put(RESERVATION, a.reservation());
            call.budgetIds = a.reservation().budgetIds();
            // Keep the hold alive while the call runs (long streams); a crashed proxy's hold expires within one TTL.
            Context context = Vertx.currentContext();
            if (context != null && !a.reservation().budgets().isEmpty()) {
                Reservation r = a.reservation();
                call.exchange.put(RENEWAL, LeaseRenewal.start(context.owner(), leaseTtl, () -> engine.renew(r, leaseTtl),
                        e -> LOG.warnf("budget lease renewal of %s failed: %s", r.id(), e.toString()),
                        () -> LOG.warnf("budget lease of %s expired before the call ended; its spend is still settled",
                                r.id())));
            }
            return Future.<Void>succeededFuture();
        }
        if (o instanceof ReserveOutcome.Refused r) {
            return Future.<Void>failedFuture(refusal(r, amount, note));
        }
        return unavailable(call, budgets, "the budget counters are being rebuilt after a Redis restart");
    }

    /**
     * Budgets with a downgrade policy (docs/BUDGETS.md §1a). The asked-for model is reserved first with each
     * such budget as hard at its threshold. If the budget that refuses has a policy, the call is switched to its
     * cheaper model, re-planned, and that model's worst case reserved at the real limits, all or nothing (the
     * hard limit itself is only ever checked inside the reserve script, so concurrent calls never overshoot it).
     * The call keeps the budgets matched for the model it asked for.
     */
    private Future<Void> reserveOrDowngrade(LlmCall call, String tenant, long amount, List<BudgetDefinition> budgets) {
        return attempt(call, tenant, amount, BudgetDowngrades.atThresholds(budgets)).transform(ar -> {
            if (ar.succeeded() && ar.result() instanceof ReserveOutcome.Refused r) {
                BudgetDefinition refusing = BudgetDowngrades.byId(budgets, r.budgetId());
                if (refusing.downgrade() == null) {
                    // Refused at its real limit by a budget without a policy: it refuses as before.
                    return conclude(call, budgets, amount, ar, "");
                }
                return downgrades.switchTo(call, refusing).compose(switched -> switched
                        ? reserveDowngraded(call, tenant, amount, budgets)
                        : asAsked(call, tenant, amount, budgets));
            }
            if (ar.succeeded() && ar.result() instanceof ReserveOutcome.Unsynced) {
                // Thresholds cannot be judged either: the budgets as they are (soft-only calls go on unreserved).
                return asAsked(call, tenant, amount, budgets);
            }
            return conclude(call, budgets, amount, ar, "");
        });
    }

    /** The asked-for model at the budgets' real limits (past a threshold, but no usable downgrade). */
    private Future<Void> asAsked(LlmCall call, String tenant, long amount, List<BudgetDefinition> budgets) {
        return attempt(call, tenant, amount, budgets).transform(ar -> conclude(call, budgets, amount, ar, ""));
    }

    private Future<Void> reserveDowngraded(LlmCall call, String tenant, long asked, List<BudgetDefinition> budgets) {
        long cheaper = worstCaseMicros(call);
        if (cheaper >= asked) {
            // Not cheaper for this call (e.g. the asked-for model is unpriced or already cheap): serve it as asked.
            return downgrades.revert(call).compose(v -> asAsked(call, tenant, asked, budgets));
        }
        String from = call.downgradedFrom;
        String to = call.requestedModel;
        return attempt(call, tenant, cheaper, budgets).transform(ar -> {
            if (ar.succeeded() && ar.result() instanceof ReserveOutcome.Admitted) {
                downgrades.count(call);
                return conclude(call, budgets, cheaper, ar, "");
            }
            String note = " Even served by " + to + " instead of " + from + " (downgrade policy of budget "
                    + call.downgradeBudgetId + ") it does not fit.";
            return downgrades.revert(call).transform(v -> conclude(call, budgets, cheaper, ar, note));
        });
    }

    @Override
    public void settle(LlmCall call) {
        Reservation reservation = call.exchange.get(RESERVATION);
        if (reservation == null) {
            return;
        }
        call.exchange.remove(RESERVATION);
        LeaseRenewal renewal = call.exchange.remove(RENEWAL);
        if (renewal != null) {
            renewal.stop();
        }
        // Nothing spent (failed before upstream, or no price known): give the hold back instead of settling 0.
        CompletionStage<?> done = call.costMicros > 0 ? engine.settle(reservation, call.costMicros)
                : engine.release(reservation);
        done.whenComplete((r, e) -> {
            if (e != null) {
                // The lease expires on its own (acc.proxy.budget.lease-ttl); budget-service's ledger keeps the spend.
                LOG.warnf("budget settle of %s failed: %s", call.requestId, e.toString());
            }
        });
    }

    /**
     * Worst case of the call: the route plan's (set by {@code route}, which runs first), else the asked-for
     * model's — estimated prompt tokens plus the most output it may produce.
     */
    long worstCaseMicros(LlmCall call) {
        if (call.reserveWorstCaseMicros >= 0) {
            // The route plan's priciest attempt (fallbacks included): whichever serves, the hold covers it.
            return call.reserveWorstCaseMicros;
        }
        Optional<ModelPrice> price = prices.price(call.key.tenantId(), call.requestedModel);
        if (price.isEmpty()) {
            // Unpriced models are recorded without cost (CostMeter), so they can take nothing from a budget.
            return 0;
        }
        long input = TokenEstimator.ofRequest(call.body);
        return CostEstimator.worstCase(price.get(), input, maxOutput(call.body)).totalMicros();
    }

    /** The request's own output limit ({@code max_completion_tokens}, {@code max_tokens}, {@code max_output_tokens}). */
    static Integer maxOutput(JsonNode body) {
        if (body == null) {
            return null;
        }
        for (String f : new String[] { "max_completion_tokens", "max_tokens", "max_output_tokens" }) {
            JsonNode n = body.get(f);
            if (n != null && n.canConvertToInt() && n.asInt() >= 0) {
                return n.asInt();
            }
        }
        return null;
    }

    private Future<Void> unavailable(LlmCall call, List<BudgetDefinition> budgets, String why) {
        Optional<BudgetDefinition> hard = budgets.stream().filter(BudgetDefinition::hard).findFirst();
        if (hard.isEmpty() || failOpen) {
            LOG.warnf("call %s passes its budgets unchecked (%s): %s", call.requestId,
                    hard.isEmpty() ? "soft budgets only" : "acc.proxy.budget.fail-open=true", why);
            return Future.succeededFuture();
        }
        return Future.failedFuture(new Refusal(503, "budget_unavailable", "Budget " + hard.get().id() + " ("
                + describe(hard.get()) + ") cannot be checked: " + why + ". The call was not sent; retry shortly.",
                "error", Map.of(RateLimitHeaders.RETRY_AFTER, "1")));
    }

    private static Refusal refusal(ReserveOutcome.Refused r, long amount, String note) {
        BudgetDefinition b = r.refusing().budget();
        PeriodWindow w = r.refusing().window();
        Map<String, String> headers = new LinkedHashMap<>();
        String when;
        if (w.unbounded()) {
            when = "it is a total budget: raise its limit to continue.";
        } else {
            long seconds = Math.max(1, Duration.between(Instant.now(), w.end()).toSeconds());
            headers.put(RateLimitHeaders.RETRY_AFTER, Long.toString(seconds));
            when = "it starts again at " + w.end() + ".";
        }
        String message = "budget " + b.id() + " (" + describe(b) + ") would be exceeded: remaining $"
                + Money.formatUsd(Math.max(0, r.remainingMicros())) + "; this call may cost up to $"
                + Money.formatUsd(amount) + ". Lower max_tokens, raise the limit, or wait: " + when + note;
        return new Refusal(429, "budget_exceeded", message, "refused", headers);
    }

    private static String describe(BudgetDefinition b) {
        BudgetScope s = b.scope();
        StringBuilder out = new StringBuilder(b.period().wire()).append(", ").append(s.type().wire());
        if (s.id() != null) {
            out.append(' ').append(s.id());
        }
        if (s.model() != null) {
            out.append(' ').append(s.model());
        }
        return out.toString();
    }
}
