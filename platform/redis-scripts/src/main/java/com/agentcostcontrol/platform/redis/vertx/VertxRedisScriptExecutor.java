package com.agentcostcontrol.platform.redis.vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import com.agentcostcontrol.platform.redis.RedisScriptExecutor;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * {@link RedisScriptExecutor} on the Vert.x Redis client. In a Quarkus service pass the injected
 * {@code io.vertx.redis.client.Redis} bean, or {@code reactiveRedisDataSource.getRedis().getDelegate()}.
 * Non-blocking: the stage completes on the client's event loop. Size the client's wait queue
 * ({@code quarkus.redis.max-pool-waiting}) for the expected number of concurrent calls.
 */
public final class VertxRedisScriptExecutor implements RedisScriptExecutor {

    private final Redis redis;

    public VertxRedisScriptExecutor(Redis redis) {
        this.redis = redis;
    }

    @Override
    public CompletionStage<Object> evalSha(String sha1, List<String> keys, List<String> args) {
        return send(script(Request.cmd(Command.EVALSHA).arg(sha1), keys, args));
    }

    @Override
    public CompletionStage<Object> eval(String script, List<String> keys, List<String> args) {
        return send(script(Request.cmd(Command.EVAL).arg(script), keys, args));
    }

    private CompletionStage<Object> send(Request request) {
        return redis.send(request).map(VertxRedisScriptExecutor::toJava).toCompletionStage();
    }

    /** Completes an {@code EVAL}/{@code EVALSHA} request begun with its script: {@code numkeys keys... args...}. */
    static Request script(Request request, List<String> keys, List<String> args) {
        request.arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    /** A reply as plain Java: integer to Long, string to String, array to List, nil to null. */
    public static Object toJava(Response r) {
        if (r == null) {
            return null;
        }
        return switch (r.type()) {
            case NUMBER -> r.toLong();
            case MULTI, PUSH -> {
                List<Object> out = new ArrayList<>(r.size());
                for (int i = 0; i < r.size(); i++) {
                    out.add(toJava(r.get(i)));
                }
                yield out;
            }
            case BOOLEAN -> r.toBoolean() ? 1L : null;
            default -> r.toString();
        };
    }
}
