package com.agentcostcontrol.platform.redis;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The one thing a Redis-backed engine (budgets, rate limits, deployment health) needs from a Redis client: run a Lua script, without blocking.
 * Implementations convert replies to plain Java: integer to {@link Long}, bulk or simple string to
 * {@link String}, array to {@link List}, nil to {@code null}; a Redis error fails the stage with an
 * exception whose message is the server's error text (so a {@code NOSCRIPT ...} error is
 * recognisable). {@link com.agentcostcontrol.platform.redis.vertx.VertxRedisScriptExecutor} is the
 * implementation for the Vert.x client that Quarkus services already have.
 */
public interface RedisScriptExecutor {

    /** {@code EVALSHA sha1 numkeys keys... args...}. */
    CompletionStage<Object> evalSha(String sha1, List<String> keys, List<String> args);

    /** {@code EVAL script numkeys keys... args...} (also caches the script on the server). */
    CompletionStage<Object> eval(String script, List<String> keys, List<String> args);
}
