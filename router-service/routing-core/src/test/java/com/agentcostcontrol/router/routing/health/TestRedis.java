package com.agentcostcontrol.router.routing.health;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.agentcostcontrol.platform.redis.vertx.VertxRedisScriptExecutor;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A real Redis for the health tests: {@code ACC_TEST_REDIS_HOST}/{@code ACC_TEST_REDIS_PORT}
 * (default 127.0.0.1:6379), logical db {@value #DB} (reserved for routing-core's tests), reached
 * through its own Vert.x instance and client — each instance stands for one proxy.
 */
final class TestRedis implements AutoCloseable {

    static final int DB = 14;

    final Vertx vertx = Vertx.vertx();
    final Redis client;
    final VertxRedisScriptExecutor executor;

    TestRedis() {
        String host = env("ACC_TEST_REDIS_HOST", "127.0.0.1");
        String port = env("ACC_TEST_REDIS_PORT", "6379");
        client = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString("redis://" + host + ":" + port + "/" + DB)
                .setMaxPoolSize(8)
                .setMaxPoolWaiting(1_000));
        executor = new VertxRedisScriptExecutor(client);
    }

    Object command(Command command, String... args) {
        Request r = Request.cmd(command);
        for (String a : args) {
            r.arg(a);
        }
        Response response = await(client.send(r).toCompletionStage());
        return VertxRedisScriptExecutor.toJava(response);
    }

    void flushdb() {
        command(Command.FLUSHDB);
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        await(vertx.close().toCompletionStage());
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
