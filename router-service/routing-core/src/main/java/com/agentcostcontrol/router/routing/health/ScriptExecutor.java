package com.agentcostcontrol.router.routing.health;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The one thing deployment health needs from a Redis client: run a Lua script, without blocking.
 * Implementations convert replies to plain Java: integer to {@link Long}, bulk or simple string to
 * {@link String}, array to {@link List}, nil to {@code null}; a Redis error fails the stage with an
 * exception whose message is the server's error text (so {@code NOSCRIPT ...} is recognisable).
 * {@link com.agentcostcontrol.router.routing.health.vertx.VertxScriptExecutor} implements it on the
 * Vert.x client Quarkus services already have. (Same contract as budget-core's
 * {@code RedisScriptExecutor}; the libraries stay independent of each other.)
 */
public interface ScriptExecutor {

    /** {@code EVALSHA sha1 numkeys keys... args...}. */
    CompletionStage<Object> evalSha(String sha1, List<String> keys, List<String> args);

    /** {@code EVAL script numkeys keys... args...} (also caches the script on the server). */
    CompletionStage<Object> eval(String script, List<String> keys, List<String> args);
}
