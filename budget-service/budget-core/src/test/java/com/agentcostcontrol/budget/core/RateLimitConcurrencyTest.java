package com.agentcostcontrol.budget.core;

import static com.agentcostcontrol.budget.core.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.core.ratelimit.RateLimit;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitDecision;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitScope;
import com.agentcostcontrol.budget.core.ratelimit.RateLimiter;

/** Rate limits must hold exactly when a hundred callers arrive at once over a pool of Redis connections. */
class RateLimitConcurrencyTest {

    private static TestRedis redis;
    private static RateLimiter limiter;

    @BeforeAll
    static void start() {
        redis = new TestRedis();
        limiter = new RateLimiter(redis.executor, RateLimiter.Settings.defaults());
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    private static List<RateLimitDecision> burst(String tenant, String prefix, int n, long tokens, List<RateLimit> limits) {
        List<CompletableFuture<RateLimitDecision>> inFlight = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // All are sent before any answer arrives.
            inFlight.add(limiter.acquire(tenant, prefix + i, tokens, limits).toCompletableFuture());
        }
        return inFlight.stream().map(CompletableFuture::join).toList();
    }

    private static long admitted(List<RateLimitDecision> decisions) {
        return decisions.stream().filter(RateLimitDecision.Admitted.class::isInstance).count();
    }

    @Test
    void aBurstOfOneHundredGetsExactlyTheLimitOfEachKind() {
        String t = TestRedis.newTenant();
        RateLimit requests = new RateLimit(RateLimitScope.key("k"), RateLimit.Kind.REQUESTS, 37, Duration.ofHours(1));
        List<RateLimitDecision> byRequests = burst(t, "r", 100, 0, List.of(requests));
        assertEquals(37, admitted(byRequests));
        for (RateLimitDecision d : byRequests) {
            if (d instanceof RateLimitDecision.Refused r) {
                assertEquals(requests, r.refusing().limit());
                assertTrue(r.retryAfter().toMillis() > 0);
            }
        }

        // 100 calls of 7 tokens against 200 tokens per hour: 28 fit (196), the 29th would need 203.
        String t2 = TestRedis.newTenant();
        RateLimit tokens = new RateLimit(RateLimitScope.tenant(), RateLimit.Kind.TOKENS, 200, Duration.ofHours(1));
        assertEquals(28, admitted(burst(t2, "t", 100, 7, List.of(tokens))));
        assertEquals(4, await(limiter.status(t2, List.of(tokens))).get(0).remaining());
    }

    @Test
    void neverMoreInFlightThanTheConcurrencyLimit() throws Exception {
        String t = TestRedis.newTenant();
        RateLimit busy = RateLimit.concurrency(RateLimitScope.key("k"), 10);
        List<RateLimit> limits = List.of(busy);

        // 100 at once: exactly 10 get a slot.
        List<RateLimitDecision> first = burst(t, "a", 100, 0, limits);
        assertEquals(10, admitted(first));
        // Three end; of the next hundred exactly three get in.
        first.stream().filter(RateLimitDecision.Admitted.class::isInstance).limit(3)
                .forEach(d -> await(limiter.settle(((RateLimitDecision.Admitted) d).permit(), 0)));
        assertEquals(3, admitted(burst(t, "b", 100, 0, limits)));
        // Free the slots for the churn below.
        redis.command(io.vertx.redis.client.Command.DEL,
                com.agentcostcontrol.budget.core.ratelimit.RateLimitKeys.limit(t, busy));

        // 100 threads each run calls in a loop: take a slot, hold it briefly, end it.
        int callers = 100;
        int callsEach = 5;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger admittedCalls = new AtomicInteger();
        AtomicInteger refusedCalls = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < callsEach; i++) {
                        RateLimitDecision d = await(limiter.acquire(t, "churn-" + caller + "-" + i, 0, limits));
                        if (d instanceof RateLimitDecision.Admitted a) {
                            admittedCalls.incrementAndGet();
                            int now = inFlight.incrementAndGet();
                            peak.accumulateAndGet(now, Math::max);
                            Thread.sleep(5);
                            inFlight.decrementAndGet(); // before the settle: our count never lags Redis's
                            await(limiter.settle(a.permit(), 0));
                        } else {
                            assertInstanceOf(RateLimitDecision.Refused.class, d);
                            refusedCalls.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(peak.get() <= 10, "peak in flight " + peak.get());
        assertEquals(callers * callsEach, admittedCalls.get() + refusedCalls.get());
        assertTrue(admittedCalls.get() >= 10, "admitted " + admittedCalls.get());
        assertEquals(10, await(limiter.status(t, limits)).get(0).remaining(), "every slot is free again");
    }
}
