package com.agentcostcontrol.proxy.llm.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import com.agentcostcontrol.proxy.llm.LlmTestData;
import com.agentcostcontrol.proxy.llm.routing.StubUpstreams.Status;
import com.agentcostcontrol.proxy.process.ProxyProcess;

/**
 * Two packaged proxies ({@link ProxyProcess}) sharing Postgres and Redis: a deployment that proxy A
 * cools down (three 500s in a row) is skipped by proxy B — which never saw it fail — within its
 * health view's TTL, and both bring it back once the cooldown is over and it answers again.
 */
class SharedHealthIT {

    /** The same health settings on both proxies, as docs/ROUTING.md requires. */
    static final String BASE_COOLDOWN = "6s";
    static final long COOLDOWN_MS = 6_000;
    static final String VIEW_TTL = "500ms";

    static StubUpstreams stubs;
    static ProxyProcess a;
    static ProxyProcess b;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        stubs = new StubUpstreams();
        Map<String, String> env = ProxyProcess.testEnvironment("acc_test_proxy_routing_it", 6);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(env.get("quarkus.datasource.jdbc.url"));
        ds.setUser(env.get("quarkus.datasource.username"));
        ds.setPassword(env.getOrDefault("quarkus.datasource.password", ""));
        LlmTestData data = new LlmTestData(ds);
        data.deployment("sh-bad", "openai", "gpt-4o-mini", stubs.openAiBase("sh-bad"), "sk-bad", 1, 5000);
        data.deployment("sh-good", "openai", "gpt-4o-mini", stubs.openAiBase("sh-good"), "sk-good", 1, 5000);
        data.route("sh-route", List.of("sh-bad", "sh-good"), List.of());
        key = data.key().key();
        a = proxy(env, "routing-a");
        b = proxy(env, "routing-b");
    }

    private static ProxyProcess proxy(Map<String, String> env, String name) {
        return ProxyProcess.builder(env).name(name)
                .property("acc.proxy.routing.health.base-cooldown", BASE_COOLDOWN)
                .property("acc.proxy.routing.health.view-ttl", VIEW_TTL)
                .start();
    }

    @AfterAll
    static void stop() {
        for (ProxyProcess p : new ProxyProcess[] { a, b }) {
            if (p != null) {
                p.close();
            }
        }
        if (stubs != null) {
            stubs.close();
        }
    }

    private static HttpResponse<String> chat(ProxyProcess proxy) {
        HttpResponse<String> r = proxy.post("/v1/chat/completions", key,
                "{\"model\":\"sh-route\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    private static String fallbacks(HttpResponse<String> r) {
        return r.headers().firstValue("x-acc-fallbacks").orElse("?");
    }

    @Test
    void aDeploymentCooledDownByOneProxyIsSkippedByTheOtherAndComesBack() throws Exception {
        stubs.set("sh-bad", StubUpstreams.ok("bad is fine")).set("sh-good", StubUpstreams.ok("good"));
        // B has planned this route before (its view of sh-bad is cached as healthy).
        assertEquals("0", fallbacks(chat(b)));
        assertEquals(List.of("sh-bad"), stubs.order());

        // A meets three 500s in a row: the third starts a cooldown, shared in Redis.
        stubs.set("sh-bad", new Status(500, Map.of(), "{\"error\":{\"message\":\"boom\"}}"));
        stubs.clear();
        for (int i = 0; i < 3; i++) {
            assertEquals("1", fallbacks(chat(a)));
        }
        long trippedAt = System.nanoTime();
        assertEquals(List.of("sh-bad", "sh-good", "sh-bad", "sh-good", "sh-bad", "sh-good"), stubs.order());

        // B never saw sh-bad fail; once its view refreshed (TTL 500 ms) it tries sh-good first.
        Thread.sleep(600);
        chat(b); // may still plan from the stale view while it refreshes in the background
        Thread.sleep(200);
        stubs.clear();
        for (int i = 0; i < 5; i++) {
            assertEquals("0", fallbacks(chat(b)), "call " + i + " on B during A's cooldown");
        }
        assertEquals(List.of("sh-good", "sh-good", "sh-good", "sh-good", "sh-good"), stubs.order());
        long skippedWithinMs = (System.nanoTime() - trippedAt) / 1_000_000;
        assertTrue(skippedWithinMs < COOLDOWN_MS, "B's calls ran within the cooldown: " + skippedWithinMs + " ms");

        // The provider recovers; after the cooldown B probes sh-bad first, and its success brings it back for A too.
        stubs.set("sh-bad", StubUpstreams.ok("recovered"));
        Thread.sleep(Math.max(0, COOLDOWN_MS + 200 - (System.nanoTime() - trippedAt) / 1_000_000));
        stubs.clear();
        HttpResponse<String> probe = chat(b);
        assertEquals("0", fallbacks(probe));
        assertEquals(List.of("sh-bad"), stubs.order(), "B's probe went to the recovered deployment");
        assertTrue(probe.body().contains("recovered"), probe.body());
        Thread.sleep(700);
        chat(a); // A's view of sh-bad refreshes
        Thread.sleep(200);
        stubs.clear();
        for (int i = 0; i < 3; i++) {
            assertEquals("0", fallbacks(chat(a)));
        }
        assertEquals(List.of("sh-bad", "sh-bad", "sh-bad"), stubs.order(), "A uses it again");
    }
}
