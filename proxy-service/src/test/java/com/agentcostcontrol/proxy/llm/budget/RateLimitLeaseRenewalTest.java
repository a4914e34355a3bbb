package com.agentcostcontrol.proxy.llm.budget;

import static com.agentcostcontrol.proxy.testing.EdgeTestResources.createTenant;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.issueKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.testing.SiblingServicesStub;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** A call that outlives the lease ttl keeps its concurrency slot: the proxy renews the lease while it runs. */
@QuarkusTest
@TestProfile(RateLimitLeaseRenewalTest.ShortLeases.class)
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SiblingServicesStub.class)
class RateLimitLeaseRenewalTest {

    public static class ShortLeases implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("acc.proxy.budget.lease-ttl", "1500ms");
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/v1/chat/completions")
    URI chatUri;

    @Test
    void aStreamLongerThanTheLeaseTtlKeepsItsSlotUntilItEnds() throws Exception {
        String tenant = createTenant("lease-renewal");
        String key = issueKey(tenant, Map.of("name", "ci", "maxConcurrent", 1)).path("key");

        // About 6 s of stream (12 events of 3 words, 500 ms apart): four lease ttls.
        CompletableFuture<HttpResponse<String>> stream = post(key,
                "{\"model\":\"mock-small\",\"stream\":true,\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"long\"}]}",
                "words=36,chunk-delay=500ms");
        Thread.sleep(4_000);
        assertFalse(stream.isDone(), "the stream must still be running");
        HttpResponse<String> second = post(key, "{\"model\":\"mock-small\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"meanwhile\"}]}", null).get(30, TimeUnit.SECONDS);
        assertEquals(429, second.statusCode(), "the lease of the running stream expired: " + second.body());
        assertTrue(second.body().contains("Concurrency limit reached for key"), second.body());

        HttpResponse<String> done = stream.get(60, TimeUnit.SECONDS);
        assertEquals(200, done.statusCode());
        assertTrue(done.body().contains("[DONE]"), done.body());

        // Its settle ended the lease: the next call passes.
        HttpResponse<String> after = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            after = post(key, "{\"model\":\"mock-small\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"after\"}]}", null).get(30, TimeUnit.SECONDS);
            if (after.statusCode() == 200) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(200, after.statusCode(), after.body());
    }

    private CompletableFuture<HttpResponse<String>> post(String key, String body, String mock) {
        HttpRequest.Builder r = HttpRequest.newBuilder(chatUri).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (mock != null) {
            r.header("x-acc-mock", mock);
        }
        return HTTP.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
