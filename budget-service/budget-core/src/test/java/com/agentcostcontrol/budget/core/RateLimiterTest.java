package com.agentcostcontrol.budget.core;

import com.agentcostcontrol.platform.redis.RedisScriptExecutor;

import static com.agentcostcontrol.budget.core.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.core.ratelimit.RateLimit;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitDecision;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitHeaders;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitKeys;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitPermit;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitScope;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitSettlement;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitState;
import com.agentcostcontrol.budget.core.ratelimit.RateLimiter;

import io.vertx.redis.client.Command;

/**
 * Rate limits against a real Redis. Exactness tests use one-hour windows, where one request or token
 * refills only every few seconds, so the test's own running time cannot change a count; the refill
 * tests use one- and two-second windows and measure the real waits.
 */
class RateLimiterTest {

    private static final RateLimitScope KEY = RateLimitScope.key("key-1");
    private static final RateLimitScope TENANT = RateLimitScope.tenant();
    private static final Duration HOUR = Duration.ofHours(1);

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

    private static RateLimitDecision acquire(String tenant, String id, long tokens, List<RateLimit> limits) {
        return await(limiter.acquire(tenant, id, tokens, limits));
    }

    private static RateLimitState state(String tenant, RateLimit limit) {
        return await(limiter.status(tenant, List.of(limit))).get(0);
    }

    private static RateLimit requestsPerHour(RateLimitScope scope, long n) {
        return new RateLimit(scope, RateLimit.Kind.REQUESTS, n, HOUR);
    }

    private static RateLimit tokensPerHour(RateLimitScope scope, long n) {
        return new RateLimit(scope, RateLimit.Kind.TOKENS, n, HOUR);
    }

    @Test
    void admitsExactlyTheLimitThenRefusesWithTheTimeUntilOneRequestRefills() {
        String t = TestRedis.newTenant();
        RateLimit rph = requestsPerHour(KEY, 10);
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            RateLimitDecision.Admitted a = assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "r" + i, 0, List.of(rph)));
            assertEquals(9 - i, a.states().get(0).remaining());
            assertEquals(Long.toString(9 - i), a.headers().get("x-ratelimit-remaining-requests"));
            assertEquals("10", a.headers().get("x-ratelimit-limit-requests"));
        }
        RateLimitDecision.Refused refused = assertInstanceOf(RateLimitDecision.Refused.class, acquire(t, "r10", 0, List.of(rph)));
        long elapsed = Duration.ofNanos(System.nanoTime() - started).toMillis() + 1;
        assertEquals(RateLimitDecision.Reason.LIMITED, refused.reason());
        assertEquals(rph, refused.refusing().limit());
        assertEquals(0, refused.refusing().remaining());
        assertEquals(1, refused.requested());
        // One request refills every 6 minutes; the first was taken `elapsed` ms ago at most.
        long wait = refused.retryAfter().toMillis();
        assertTrue(wait <= 360_000 && wait >= 360_000 - elapsed, "wait " + wait);
        assertEquals((wait + 999) / 1000, refused.retryAfterSeconds().getAsLong());
        // Full again only when all ten have refilled: an hour after the first.
        long reset = refused.refusing().reset().toMillis();
        assertTrue(reset <= 3_600_000 && reset >= 3_600_000 - elapsed, "reset " + reset);
        assertTrue(refused.message().startsWith("Rate limit reached for key key-1 on requests per hour: limit 10, remaining 0"),
                refused.message());
        assertEquals("0", refused.headers().get("x-ratelimit-remaining-requests"));
        assertEquals(0, state(t, rph).remaining(), "a refusal takes nothing");
    }

    @Test
    void resetAndRemainingFollowTheBucket() {
        String t = TestRedis.newTenant();
        RateLimit rpm = RateLimit.requestsPerMinute(KEY, 5000);
        RateLimitDecision.Admitted a = assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "a", 0, List.of(rpm)));
        // 5000 per minute: one request refills in 12 ms, which is what OpenAI reports in the same situation.
        assertEquals(4999, a.states().get(0).remaining());
        assertEquals(Duration.ofMillis(12), a.states().get(0).reset());
        assertEquals("12ms", a.headers().get("x-ratelimit-reset-requests"));
        // An untouched limit is full, with nothing to reset.
        RateLimit fresh = RateLimit.tokensPerMinute(TENANT, 150_000);
        assertEquals(new RateLimitState(fresh, 150_000, Duration.ZERO), state(t, fresh));
    }

    @Test
    void takesEveryLimitOrNone() {
        String t = TestRedis.newTenant();
        RateLimit keyRequests = requestsPerHour(KEY, 100);
        RateLimit tenantRequests = requestsPerHour(TENANT, 3);
        RateLimit keyTokens = tokensPerHour(KEY, 100); // one token refills every 36 s
        RateLimit tenantTokens = tokensPerHour(TENANT, 1_000); // every 3.6 s
        List<RateLimit> all = List.of(keyRequests, tenantRequests, keyTokens, tenantTokens);
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "c" + i, 10, all));
        }
        RateLimitDecision.Refused refused = assertInstanceOf(RateLimitDecision.Refused.class, acquire(t, "c3", 10, all));
        assertEquals(tenantRequests, refused.refusing().limit());
        List<RateLimitState> now = await(limiter.status(t, all));
        assertEquals(97, now.get(0).remaining());
        assertEquals(0, now.get(1).remaining());
        assertEquals(70, now.get(2).remaining());
        assertEquals(970, now.get(3).remaining());

        // A token refusal leaves the request counters alone too.
        String t2 = TestRedis.newTenant();
        assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t2, "x0", 90, all));
        RateLimitDecision.Refused byTokens = assertInstanceOf(RateLimitDecision.Refused.class, acquire(t2, "x1", 20, all));
        assertEquals(keyTokens, byTokens.refusing().limit());
        assertEquals(10, byTokens.refusing().remaining());
        assertEquals(20, byTokens.requested());
        assertEquals(99, state(t2, keyRequests).remaining());
        assertEquals(2, state(t2, tenantRequests).remaining());
        assertEquals(910, state(t2, tenantTokens).remaining());
    }

    @Test
    void whenSeveralLimitsRefuseTheLongestWaitIsReported() {
        String t = TestRedis.newTenant();
        RateLimit fast = RateLimit.requestsPerMinute(KEY, 1); // refills in 1 min
        RateLimit slow = requestsPerHour(TENANT, 1); // refills in 1 h
        List<RateLimit> both = List.of(fast, slow);
        assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "w0", 0, both));
        RateLimitDecision.Refused refused = assertInstanceOf(RateLimitDecision.Refused.class, acquire(t, "w1", 0, both));
        assertEquals(slow, refused.refusing().limit());
        assertTrue(refused.retryAfter().toMillis() > 3_500_000, "retrying after a minute would still be refused");
    }

    @Test
    void tokensAreReservedUpFrontAndSettledToTheActualCount() {
        String t = TestRedis.newTenant();
        RateLimit tph = tokensPerHour(KEY, 100); // one token refills every 36 s
        List<RateLimit> limits = List.of(tph);

        RateLimitPermit first = assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "t1", 60, limits)).permit();
        assertEquals(40, state(t, tph).remaining());
        RateLimitDecision.Refused refused = assertInstanceOf(RateLimitDecision.Refused.class, acquire(t, "t2", 50, limits));
        assertEquals(40, refused.refusing().remaining());
        // 10 tokens short, each refilling in 36 s.
        assertTrue(refused.retryAfter().toMillis() > 355_000 && refused.retryAfter().toMillis() <= 360_000,
                "wait " + refused.retryAfter());

        RateLimitSettlement settled = await(limiter.settle(first, 10));
        assertTrue(settled.settled());
        assertEquals(90, settled.states().get(0).remaining());
        assertEquals("90", RateLimitHeaders.of(settled.states()).get("x-ratelimit-remaining-tokens"));

        RateLimitPermit second = assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "t2", 50, limits)).permit();
        assertEquals(40, state(t, tph).remaining());
        // An underestimate is charged in full.
        assertEquals(20, await(limiter.settle(second, 70)).states().get(0).remaining());
        // Settling twice changes nothing.
        RateLimitSettlement again = await(limiter.settle(second, 0));
        assertFalse(again.settled());
        assertEquals(20, again.states().get(0).remaining());
        assertEquals(20, state(t, tph).remaining());
    }

    @Test
    void aRequestLargerThanTheTokenLimitCanNeverPass() {
        String t = TestRedis.newTenant();
        RateLimit tpm = RateLimit.tokensPerMinute(KEY, 1_000);
        RateLimitDecision.Refused r = assertInstanceOf(RateLimitDecision.Refused.class,
                acquire(t, "big", 1_001, List.of(RateLimit.requestsPerMinute(KEY, 10), tpm)));
        assertEquals(RateLimitDecision.Reason.TOO_LARGE, r.reason());
        assertEquals(tpm, r.refusing().limit());
        assertNull(r.retryAfter());
        assertTrue(r.retryAfterSeconds().isEmpty());
        assertEquals(1_001, r.requested());
        assertEquals(1_000, state(t, tpm).remaining());
        // Exactly the limit fits.
        assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "fits", 1_000, List.of(tpm)));
    }

    @Test
    void aRetriedAcquireTakesNothingTwice() {
        String t = TestRedis.newTenant();
        RateLimit rph = requestsPerHour(KEY, 5);
        RateLimit tph = tokensPerHour(KEY, 100);
        RateLimit busy = RateLimit.concurrency(KEY, 2);
        List<RateLimit> limits = List.of(rph, tph, busy);
        assertFalse(assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "same", 40, limits)).duplicate());
        RateLimitDecision.Admitted again = assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "same", 40, limits));
        assertTrue(again.duplicate());
        List<RateLimitState> s = await(limiter.status(t, limits));
        assertEquals(List.of(4L, 60L, 1L), s.stream().map(RateLimitState::remaining).toList());
    }

    @Test
    void settleGivesBackOnlyCapacityThatHasNotRefilledYet() throws InterruptedException {
        String t = TestRedis.newTenant();
        // 100 tokens per second: one token refills every 10 ms.
        RateLimit tps = new RateLimit(KEY, RateLimit.Kind.TOKENS, 100, Duration.ofSeconds(1));
        List<RateLimit> limits = List.of(tps);
        RateLimitPermit slowCall = assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "slow", 100, limits)).permit();
        Thread.sleep(1_050); // its estimate has fully refilled meanwhile
        assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "next", 100, limits));
        // The slow call used nothing, but what it reserved came back already: giving it back again would
        // hand out 100 tokens that the second call holds.
        RateLimitSettlement s = await(limiter.settle(slowCall, 0));
        assertTrue(s.settled());
        assertTrue(s.states().get(0).remaining() < 50, "remaining " + s.states().get(0).remaining());
        assertInstanceOf(RateLimitDecision.Refused.class, acquire(t, "third", 80, limits));
    }

    @Test
    void theWindowRefillsAndRetryAfterIsExactlyLongEnough() throws InterruptedException {
        String t = TestRedis.newTenant();
        // 2 requests per 2 s: one request refills every second.
        RateLimit limit = new RateLimit(KEY, RateLimit.Kind.REQUESTS, 2, Duration.ofSeconds(2));
        List<RateLimit> limits = List.of(limit);
        assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "a", 0, limits));
        assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "b", 0, limits));
        RateLimitDecision.Refused refused = assertInstanceOf(RateLimitDecision.Refused.class, acquire(t, "c", 0, limits));
        long wait = refused.retryAfter().toMillis();
        assertTrue(wait > 500 && wait <= 1_000, "wait " + wait);
        assertEquals(1, refused.retryAfterSeconds().getAsLong());

        Thread.sleep(wait / 4);
        assertInstanceOf(RateLimitDecision.Refused.class, acquire(t, "c", 0, limits), "refused before the wait is over");
        Thread.sleep(wait - wait / 4);
        RateLimitDecision.Admitted admitted = assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "c", 0, limits));
        assertEquals(0, admitted.states().get(0).remaining());

        // After the reported reset the whole allowance is back.
        Duration reset = admitted.states().get(0).reset();
        assertTrue(reset.toMillis() > 1_000 && reset.toMillis() <= 2_000, "reset " + reset);
        Thread.sleep(reset.toMillis());
        assertEquals(new RateLimitState(limit, 2, Duration.ZERO), state(t, limit));
        assertEquals(0L, redis.command(Command.EXISTS, RateLimitKeys.limit(t, limit)), "a full bucket's key expires");
    }

    @Test
    void concurrencyLeasesEndAtSettleAndExpireWhenACallerDies() throws InterruptedException {
        String t = TestRedis.newTenant();
        RateLimit one = RateLimit.concurrency(KEY, 1);
        List<RateLimit> limits = List.of(one);
        Duration lease = Duration.ofMillis(300);

        RateLimitPermit p = assertInstanceOf(RateLimitDecision.Admitted.class,
                await(limiter.acquire(t, "p1", 0, limits, lease))).permit();
        RateLimitDecision.Refused busy = assertInstanceOf(RateLimitDecision.Refused.class, acquire(t, "p2", 0, limits));
        assertEquals(Duration.ofSeconds(1), busy.retryAfter());
        assertTrue(busy.message().startsWith("Concurrency limit reached for key key-1: at most 1 requests in flight"));
        await(limiter.settle(p, 0));
        RateLimitPermit crashed = assertInstanceOf(RateLimitDecision.Admitted.class,
                await(limiter.acquire(t, "p3", 0, limits, lease))).permit();
        assertEquals(0, state(t, one).remaining());

        // Nobody settles p3 (its proxy "crashed"): the lease expires and the slot comes back.
        Thread.sleep(lease.toMillis() + 50);
        assertEquals(1, state(t, one).remaining());
        assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "p4", 0, limits));
        assertFalse(await(limiter.renew(crashed, Duration.ofSeconds(5))), "an expired lease is never revived");
    }

    @Test
    void renewKeepsALongCallsLeaseAlive() throws InterruptedException {
        String t = TestRedis.newTenant();
        RateLimit one = RateLimit.concurrency(TENANT, 1);
        RateLimitPermit p = assertInstanceOf(RateLimitDecision.Admitted.class,
                await(limiter.acquire(t, "long", 0, List.of(one), Duration.ofMillis(300)))).permit();
        Thread.sleep(150);
        assertTrue(await(limiter.renew(p, Duration.ofSeconds(5))));
        Thread.sleep(300);
        assertInstanceOf(RateLimitDecision.Refused.class, acquire(t, "other", 0, List.of(one)));
        await(limiter.settle(p, 0));
        assertInstanceOf(RateLimitDecision.Admitted.class, acquire(t, "other", 0, List.of(one)));
    }

    @Test
    void noLimitsMeansNoRedisCallAndBadInputIsRefused() {
        RateLimitDecision.Admitted a = assertInstanceOf(RateLimitDecision.Admitted.class,
                await(new RateLimiter(new FailingExecutor(), RateLimiter.Settings.defaults()).acquire("t", "r", 5, List.of())));
        assertTrue(a.headers().isEmpty());
        RateLimit rpm = RateLimit.requestsPerMinute(KEY, 5);
        assertThrows(IllegalArgumentException.class, () -> limiter.acquire("t", "r", 1, List.of(rpm, rpm)));
        assertThrows(IllegalArgumentException.class, () -> limiter.acquire("t", "r", -1, List.of(rpm)));
        assertThrows(IllegalArgumentException.class, () -> limiter.acquire("t t", "r", 1, List.of(rpm)));
        assertThrows(IllegalArgumentException.class, () -> limiter.acquire("t", "r|x", 1, List.of(rpm)));
    }

    @Test
    void keysAreHashTaggedByTenant() {
        String t = "tenant-a";
        assertEquals("acc:rl:{tenant-a}:key:key-1:r:60000", RateLimitKeys.limit(t, RateLimit.requestsPerMinute(KEY, 5)));
        assertEquals("acc:rl:{tenant-a}:tenant:t:60000", RateLimitKeys.limit(t, RateLimit.tokensPerMinute(TENANT, 5)));
        assertEquals("acc:rl:{tenant-a}:key:key-1:c", RateLimitKeys.limit(t, RateLimit.concurrency(KEY, 5)));
        assertEquals("acc:rl:{tenant-a}:p:req-1", RateLimitKeys.pending(t, "req-1"));
    }

    /** Proves that no Redis call is made. */
    private static final class FailingExecutor implements RedisScriptExecutor {
        @Override
        public java.util.concurrent.CompletionStage<Object> evalSha(String sha1, List<String> keys, List<String> args) {
            throw new AssertionError("unexpected Redis call");
        }

        @Override
        public java.util.concurrent.CompletionStage<Object> eval(String script, List<String> keys, List<String> args) {
            throw new AssertionError("unexpected Redis call");
        }
    }
}
