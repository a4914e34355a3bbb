package com.agentcostcontrol.proxy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The packaged proxy as an OS process: ready, serves a real LLM call with a key made through the operator API, dies on kill. */
class ProxyProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, String> env;

    @BeforeAll
    static void database() {
        env = ProxyProcess.testEnvironment("acc_test_proxy_it", 5);
    }

    @Test
    void startsServesACallAndDiesOnKill() throws Exception {
        ProxyProcess proxy = ProxyProcess.builder(env).name("smoke").start();
        try {
            HttpResponse<String> ready = proxy.get("/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("UP", JSON.readTree(ready.body()).path("status").asText());

            String tenant = proxy.createTenant("process smoke");
            ProxyProcess.IssuedKey key = proxy.issueKey(tenant, "smoke");
            HttpResponse<String> r = proxy.post("/v1/chat/completions", key.key(),
                    "{\"model\":\"mock-small\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Hello from a process\"}]}");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals("chat.completion", body.path("object").asText());
            assertTrue(body.path("usage").path("completion_tokens").asInt() > 0, r.body());
            BigDecimal cost = new BigDecimal(r.headers().firstValue("x-acc-cost-usd").orElseThrow());
            assertTrue(cost.signum() > 0, "cost " + cost);

            // Without a key the same call is refused: the process really authenticates.
            assertEquals(401, proxy.post("/v1/chat/completions", null, "{\"model\":\"mock-small\",\"messages\":[]}").statusCode());

            long pid = proxy.pid();
            proxy.kill();
            assertFalse(proxy.isAlive());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still alive");
            assertThrows(RuntimeException.class, () -> proxy.get("/q/health/ready"));
            assertTrue(proxy.logTail(200).contains("proxy-service"), "log " + proxy.log() + " has the proxy's output");
        } finally {
            proxy.close();
        }
    }

    @Test
    void stopShutsDownGracefully() {
        ProxyProcess proxy = ProxyProcess.builder(env).name("stop").start();
        assertEquals(200, proxy.get("/q/health/ready").statusCode());
        int exit = proxy.stop();
        // SIGTERM: the JVM runs its shutdown hooks and exits 143 (128 + 15) or 0, never the 137 of SIGKILL.
        assertTrue(exit == 0 || exit == 143, "exit code " + exit);
        assertFalse(proxy.isAlive());
    }
}
