package com.agentcostcontrol.platform.redis.vertx;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.agentcostcontrol.platform.redis.RedisScriptExecutor;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * {@link RedisScriptExecutor} for a hot path (the proxy's budget, rate-limit and deployment-health scripts):
 * on a Vert.x event loop, a script goes over a connection owned by that event loop, pipelined (many scripts in
 * flight, replies in order), written and answered on the caller's own thread.
 *
 * <p>Why not the service's pooled client: a Vert.x Redis client binds all its connections to the one context
 * it was created on (vertx-redis-client 4.5 {@code RedisConnectionManager}), so every {@code send} from another
 * event loop is handed to that loop to be written and its reply handed back: two thread hops, and one thread
 * doing all of the service's Redis I/O. Measured, one budget reservation cost ~0.35 ms on an idle 2-core
 * machine where the script itself takes ~0.07 ms (docs/PERFORMANCE.md). Here each event loop creates its own
 * client on its own context, so its connection lives on that loop.
 *
 * <p>Off an event loop (worker threads, tests) scripts go through {@code fallback}. An event loop's client is
 * closed and forgotten when its connection fails, closes, or leaves a script (or the connect) unanswered past
 * {@code timeout}; the next script on that loop opens a new one.
 */
public final class EventLoopScriptExecutor implements RedisScriptExecutor, AutoCloseable {

    private final Vertx vertx;
    private final Supplier<Redis> newClient;
    private final Redis fallback;
    private final long timeoutMillis;
    /** Each entry is only ever created, used or dropped by its own event-loop thread. */
    private final Map<Thread, LoopConnection> byLoop = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One event loop's client and its one (never returned) connection. */
    private record LoopConnection(Redis client, Future<RedisConnection> connection) {
    }

    /**
     * @param newClient makes a client for one event loop (called on that loop); it needs a pool of one.
     *                  Null: every script goes through {@code fallback} (still with this executor's timeout)
     * @param fallback  the pooled client for callers off an event loop (its owner closes it)
     * @param timeout   how long a script may stay unanswered before it fails with a {@link TimeoutException}
     */
    public EventLoopScriptExecutor(Vertx vertx, Supplier<Redis> newClient, Redis fallback, Duration timeout) {
        this.vertx = vertx;
        this.newClient = newClient;
        this.fallback = fallback;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
    }

    @Override
    public CompletionStage<Object> evalSha(String sha1, List<String> keys, List<String> args) {
        return send(VertxRedisScriptExecutor.script(Request.cmd(Command.EVALSHA).arg(sha1), keys, args));
    }

    @Override
    public CompletionStage<Object> eval(String script, List<String> keys, List<String> args) {
        return send(VertxRedisScriptExecutor.script(Request.cmd(Command.EVAL).arg(script), keys, args));
    }

    private CompletionStage<Object> send(Request request) {
        Context context = Vertx.currentContext();
        if (newClient == null || context == null || !Context.isOnEventLoopThread() || closed) {
            return withTimeout(fallback.send(request), null).map(VertxRedisScriptExecutor::toJava).toCompletionStage();
        }
        Thread loop = Thread.currentThread();
        LoopConnection own = byLoop.get(loop);
        if (own == null) {
            own = open(loop, (ContextInternal) context);
        }
        LoopConnection used = own;
        // The timeout covers the connect too: a server that accepts but never answers must not hang calls.
        return withTimeout(own.connection().compose(c -> c.send(request)), () -> drop(loop, used))
                .map(VertxRedisScriptExecutor::toJava)
                .toCompletionStage();
    }

    private LoopConnection open(Thread loop, ContextInternal context) {
        // Created with the event loop's own context current (not the request's duplicate), so the client's
        // connection manager, and with it the connection, belong to this loop for good.
        Redis[] client = new Redis[1];
        context.unwrap().emit(null, v -> client[0] = newClient.get());
        Promise<RedisConnection> connected = Promise.promise();
        LoopConnection own = new LoopConnection(client[0], connected.future());
        // Registered before connecting: a connect that fails at once must find its own entry to drop.
        byLoop.put(loop, own);
        context.unwrap().emit(null, v -> client[0].connect().onComplete(connected));
        connected.future().onComplete(ar -> {
            if (ar.failed()) {
                drop(loop, own);
                return;
            }
            ar.result().exceptionHandler(e -> drop(loop, own));
            ar.result().endHandler(e -> drop(loop, own));
        });
        return own;
    }

    /** Forgets and closes the loop's client (if it is still {@code which}); scripts in flight on it fail. */
    private void drop(Thread loop, LoopConnection which) {
        if (byLoop.remove(loop, which)) {
            which.client().close();
        }
    }

    private Future<Response> withTimeout(Future<Response> reply, Runnable onTimeout) {
        if (reply.isComplete()) {
            return reply;
        }
        Promise<Response> out = Promise.promise();
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (out.tryFail(new TimeoutException("Redis did not answer within " + timeoutMillis + " ms")) && onTimeout != null) {
                onTimeout.run();
            }
        });
        reply.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                out.tryComplete(ar.result());
            } else {
                out.tryFail(ar.cause());
            }
        });
        return out.future();
    }

    /** Closes the per-event-loop clients (not the fallback); later scripts use the fallback. */
    @Override
    public void close() {
        closed = true;
        byLoop.values().forEach(c -> c.client().close());
        byLoop.clear();
    }
}
