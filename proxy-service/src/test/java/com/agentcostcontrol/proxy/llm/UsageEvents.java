package com.agentcostcontrol.proxy.llm;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;

/** Reads the usage stream in tests, waiting (with a deadline) for a request's event. */
public final class UsageEvents {

    private UsageEvents() {
    }

    public static Map<String, String> await(RedisDataSource redis, String requestId, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            List<StreamMessage<String, String, String>> all = redis.stream(String.class).xrange("acc:usage",
                    io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"));
            for (StreamMessage<String, String, String> m : all) {
                if (requestId.equals(m.payload().get("request_id"))) {
                    return m.payload();
                }
            }
            sleep(20);
        }
        throw new AssertionError("no usage event for " + requestId + " within " + within.toMillis() + " ms");
    }

    public static long count(RedisDataSource redis, String requestId) {
        return redis.stream(String.class).xrange("acc:usage", io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"))
                .stream().filter(m -> requestId.equals(m.payload().get("request_id"))).count();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
