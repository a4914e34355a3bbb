package com.agentcostcontrol.proxy.llm.budget;

import static com.agentcostcontrol.proxy.testing.EdgeTestResources.OPERATOR_TOKEN;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.bearer;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.createTenant;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.issueKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.core.ratelimit.RateLimit;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitScope;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitState;
import com.agentcostcontrol.proxy.AuthenticatedKey;
import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.llm.Endpoint;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.usage.Prices;
import com.agentcostcontrol.proxy.llm.usage.TokenEstimator;
import com.agentcostcontrol.proxy.testing.SiblingServicesStub;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * Rate limits per key and per tenant through the real proxy (mock provider, real Redis and Postgres): limits set
 * through the management API, requests/min across keys, tokens reserved up front and settled, concurrency leases,
 * the 429s and headers, and the fail-open policy when Redis is gone.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SiblingServicesStub.class)
class RateLimitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    BudgetRedis redis;
    @Inject
    Prices prices;
    @Inject
    MeterRegistry metrics;
    @Inject
    Vertx vertx;

    @TestHTTPResource("/v1/chat/completions")
    URI chatUri;
    @TestHTTPResource("/v1/messages")
    URI messagesUri;

    // ------------------------------------------------------------------ management API

    @Test
    void tenantLimitsAreSetByTheOperatorWithValidationAndShownOnTheTenant() {
        String tenant = createTenant("limits-api");
        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/admin/v1/tenants/" + tenant + "/limits")
                .then().statusCode(200).body("rpmLimit", nullValue()).body("tpmLimit", nullValue())
                .body("maxConcurrent", nullValue());

        putLimits(tenant, Map.of("rpmLimit", 100, "tpmLimit", 50000, "maxConcurrent", 4)).then().statusCode(200)
                .body("rpmLimit", equalTo(100)).body("tpmLimit", equalTo(50000)).body("maxConcurrent", equalTo(4));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/admin/v1/tenants/" + tenant)
                .then().statusCode(200).body("limits.rpmLimit", equalTo(100)).body("limits.tpmLimit", equalTo(50000))
                .body("limits.maxConcurrent", equalTo(4));
        // PUT replaces the whole set: a field left out means no limit of that kind.
        putLimits(tenant, Map.of("tpmLimit", 9000)).then().statusCode(200)
                .body("rpmLimit", nullValue()).body("tpmLimit", equalTo(9000)).body("maxConcurrent", nullValue());

        putLimitsRaw(tenant, "{\"rpmLimit\":0}").then().statusCode(400).body("error.message", containsString("rpmLimit"))
                .body("error.message", containsString("positive whole number"));
        putLimitsRaw(tenant, "{\"maxConcurrent\":1.5}").then().statusCode(400)
                .body("error.message", containsString("maxConcurrent"));
        putLimitsRaw(tenant, "{\"rpm\":5}").then().statusCode(400).body("error.message", containsString("Unknown field 'rpm'"));
        putLimitsRaw(tenant, "[1]").then().statusCode(400).body("error.message", containsString("JSON object"));
        putLimitsRaw(UUID.randomUUID().toString(), "{\"rpmLimit\":5}").then().statusCode(404);

        // A tenant's own admin may read its limits but not raise them.
        String admin = issueKey(tenant, "admin", List.of("manage")).path("key");
        given().header("Authorization", bearer(admin)).get("/admin/v1/tenants/" + tenant + "/limits")
                .then().statusCode(200).body("tpmLimit", equalTo(9000));
        given().header("Authorization", bearer(admin)).contentType(ContentType.JSON).body("{\"tpmLimit\":1000000}")
                .put("/admin/v1/tenants/" + tenant + "/limits").then().statusCode(403)
                .body("error.message", containsString("operator"));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/admin/v1/tenants/" + tenant + "/limits")
                .then().statusCode(200).body("tpmLimit", equalTo(9000));
    }

    @Test
    void keysTakeAConcurrencyLimitAtCreationAndTheirLimitsCanBePatched() {
        String tenant = createTenant("key-limits-api");
        String keyId = issueKey(tenant, Map.of("name", "ci", "rpmLimit", 60, "maxConcurrent", 3)).then()
                .body("maxConcurrent", equalTo(3)).body("rpmLimit", equalTo(60)).extract().path("id");

        patchKey(keyId, "{\"maxConcurrent\":5,\"tpmLimit\":20000}").then().statusCode(200)
                .body("maxConcurrent", equalTo(5)).body("tpmLimit", equalTo(20000)).body("rpmLimit", equalTo(60));
        patchKey(keyId, "{\"rpmLimit\":null}").then().statusCode(200)
                .body("rpmLimit", nullValue()).body("maxConcurrent", equalTo(5));
        given().header("Authorization", bearer(OPERATOR_TOKEN)).get("/admin/v1/tenants/" + tenant + "/keys")
                .then().statusCode(200).body("data[0].maxConcurrent", equalTo(5)).body("data[0].tpmLimit", equalTo(20000));

        patchKey(keyId, "{}").then().statusCode(400).body("error.message", containsString("at least one of"));
        patchKey(keyId, "{\"maxConcurrent\":-1}").then().statusCode(400).body("error.message", containsString("maxConcurrent"));
        patchKey(keyId, "{\"name\":\"x\"}").then().statusCode(400).body("error.message", containsString("Unknown field 'name'"));
        patchKey(UUID.randomUUID().toString(), "{\"maxConcurrent\":1}").then().statusCode(404);
        given().header("Authorization", bearer(OPERATOR_TOKEN)).contentType(ContentType.JSON)
                .body(Map.of("name", "bad", "maxConcurrent", 0)).post("/admin/v1/tenants/" + tenant + "/keys")
                .then().statusCode(400).body("error.message", containsString("maxConcurrent"));

        // Another tenant's admin cannot see or change the key.
        String other = createTenant("key-limits-other");
        String otherAdmin = issueKey(other, "admin", List.of("manage")).path("key");
        given().header("Authorization", bearer(otherAdmin)).contentType(ContentType.JSON).body("{\"maxConcurrent\":99}")
                .patch("/admin/v1/keys/" + keyId).then().statusCode(404);
    }

    // ------------------------------------------------------------------ hot path

    @Test
    void tenantRequestsPerMinuteCountEveryKeyOfTheTenant() throws Exception {
        String tenant = createTenant("tenant-rpm");
        String k1 = issueKey(tenant, "one", List.of("llm")).path("key");
        String k2 = issueKey(tenant, "two", List.of("llm")).path("key");
        putLimits(tenant, Map.of("rpmLimit", 3)).then().statusCode(200);
        double refusedBefore = count("acc.ratelimit.refusals", "scope", "tenant", "limit", "requests");

        String[] keys = { k1, k2, k1 };
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = post(chatUri, keys[i], chat("rpm " + i, 10), null).get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("3", header(r, "x-ratelimit-limit-requests"));
            assertEquals(Integer.toString(2 - i), header(r, "x-ratelimit-remaining-requests"));
            long reset = millis(header(r, "x-ratelimit-reset-requests"));
            assertTrue(reset > 0 && reset <= 60_000 * (i + 1) / 3, "reset " + reset);
        }
        HttpResponse<String> refused = post(chatUri, k2, chat("rpm 4", 10), null).get(30, TimeUnit.SECONDS);
        assertEquals(429, refused.statusCode(), refused.body());
        JsonNode err = JSON.readTree(refused.body()).path("error");
        assertEquals("rate_limit_exceeded", err.path("code").asText());
        assertTrue(err.path("message").asText().startsWith(
                "Rate limit reached for tenant on requests per minute: limit 3, remaining 0, requested 1. Please try again in "),
                err.path("message").asText());
        long retryAfter = Long.parseLong(header(refused, "retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= 20, "one request comes back every 20 s; Retry-After " + retryAfter);
        assertEquals("3", header(refused, "x-ratelimit-limit-requests"));
        assertEquals("0", header(refused, "x-ratelimit-remaining-requests"));

        // The same refusal in Anthropic's envelope on /v1/messages.
        HttpResponse<String> anthropic = post(messagesUri, k1, "{\"model\":\"mock-small\",\"max_tokens\":10,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}", null).get(30, TimeUnit.SECONDS);
        assertEquals(429, anthropic.statusCode(), anthropic.body());
        JsonNode a = JSON.readTree(anthropic.body());
        assertEquals("error", a.path("type").asText());
        assertEquals("rate_limit_error", a.path("error").path("type").asText());
        assertTrue(a.path("error").path("message").asText().startsWith("Rate limit reached for tenant on requests per minute"),
                anthropic.body());
        assertTrue(anthropic.headers().firstValue("retry-after").isPresent());
        assertEquals("0", header(anthropic, "x-ratelimit-remaining-requests"));
        assertEquals(refusedBefore + 2, count("acc.ratelimit.refusals", "scope", "tenant", "limit", "requests"));

        // Raising the limit takes effect at once on this instance (cache evicted; others within the 1 s poll).
        putLimits(tenant, Map.of("rpmLimit", 10)).then().statusCode(200);
        HttpResponse<String> after = post(chatUri, k2, chat("rpm 5", 10), null).get(30, TimeUnit.SECONDS);
        assertEquals(200, after.statusCode(), after.body());
        assertEquals("10", header(after, "x-ratelimit-limit-requests"));
        long left = Long.parseLong(header(after, "x-ratelimit-remaining-requests"));

        // A stream carries the headers too (they go out with its first bytes).
        HttpResponse<String> stream = post(chatUri, k1, "{\"model\":\"mock-small\",\"stream\":true,\"max_tokens\":10,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"stream\"}]}", null).get(30, TimeUnit.SECONDS);
        assertEquals(200, stream.statusCode(), stream.body());
        assertTrue(stream.body().contains("[DONE]"));
        assertEquals("10", header(stream, "x-ratelimit-limit-requests"));
        long leftAfterStream = Long.parseLong(header(stream, "x-ratelimit-remaining-requests"));
        assertTrue(leftAfterStream < left + 1 && leftAfterStream >= 0, left + " then " + leftAfterStream);
    }

    @Test
    void tokensAreReservedUpFrontAndSettledToTheActualCount() throws Exception {
        String tenant = createTenant("tenant-tpm");
        String k1 = issueKey(tenant, "one", List.of("llm")).path("key");
        String k2 = issueKey(tenant, "two", List.of("llm")).path("key");
        putLimits(tenant, Map.of("tpmLimit", 2000)).then().statusCode(200);
        RateLimit tpm = RateLimit.tokensPerMinute(RateLimitScope.tenant(), 2000);

        String bigBody = chat("a long one", 1500);
        long estA = TokenEstimator.ofRequest(JSON.readTree(bigBody)) + 1500;
        CompletableFuture<HttpResponse<String>> big = post(chatUri, k1, bigBody, "delay=3s,words=20");
        // Wait until the big call holds its tokens (it is in flight for 3 s).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (remaining(tenant, tpm) > 2000 - estA + 100 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long reservedAt = System.nanoTime();

        String midBody = chat("too much while the big one runs", 1000);
        long estB = TokenEstimator.ofRequest(JSON.readTree(midBody)) + 1000;
        HttpResponse<String> refused = post(chatUri, k2, midBody, null).get(30, TimeUnit.SECONDS);
        assertTrue(big.isDone() == false, "the big call must still be in flight");
        assertEquals(429, refused.statusCode(), refused.body());
        long refill = refillSince(reservedAt - TimeUnit.SECONDS.toNanos(1), 2000);
        long remainingB = Long.parseLong(header(refused, "x-ratelimit-remaining-tokens"));
        assertTrue(remainingB >= 2000 - estA && remainingB <= 2000 - estA + refill,
                "remaining " + remainingB + " vs " + (2000 - estA) + " (+" + refill + " refill)");
        assertEquals("2000", header(refused, "x-ratelimit-limit-tokens"));
        assertTrue(Long.parseLong(header(refused, "retry-after")) >= 1);
        assertEquals("Rate limit reached for tenant on tokens per minute: limit 2000, remaining " + remainingB
                + ", requested " + estB + ".", JSON.readTree(refused.body()).path("error").path("message").asText()
                        .replaceAll(" Please try again in .*$", ""));

        HttpResponse<String> bigAnswer = big.get(30, TimeUnit.SECONDS);
        assertEquals(200, bigAnswer.statusCode(), bigAnswer.body());
        // Its headers were set at admission, when it took exactly its estimate from a full bucket.
        assertEquals("2000", header(bigAnswer, "x-ratelimit-limit-tokens"));
        assertEquals(Long.toString(2000 - estA), header(bigAnswer, "x-ratelimit-remaining-tokens"));
        long actualA = JSON.readTree(bigAnswer.body()).path("usage").path("total_tokens").asLong();
        assertTrue(actualA > 20 && actualA < 100, "actual tokens " + actualA);

        // Settle gives back the unused estimate: poll until the settle (after the answer) has run.
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (remaining(tenant, tpm) < 2000 - actualA && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // Without the refund about 2000 - estA + a few s of refill (< estC) would be left and this call refused.
        String thirdBody = chat("fits again after the refund", 1000);
        long estC = TokenEstimator.ofRequest(JSON.readTree(thirdBody)) + 1000;
        HttpResponse<String> third = post(chatUri, k2, thirdBody, null).get(30, TimeUnit.SECONDS);
        assertEquals(200, third.statusCode(), third.body());
        long remainingC = Long.parseLong(header(third, "x-ratelimit-remaining-tokens"));
        assertTrue(remainingC >= 2000 - actualA - estC && remainingC <= 2000 - estC,
                "remaining " + remainingC + " vs [" + (2000 - actualA - estC) + ", " + (2000 - estC) + "]");

        // A call that asks for more than the limit can never pass: 429 without Retry-After.
        HttpResponse<String> tooLarge = post(chatUri, k1, chat("huge", 5000), null).get(30, TimeUnit.SECONDS);
        assertEquals(429, tooLarge.statusCode(), tooLarge.body());
        assertTrue(tooLarge.headers().firstValue("retry-after").isEmpty());
        assertTrue(JSON.readTree(tooLarge.body()).path("error").path("message").asText()
                .startsWith("Request too large for tenant on tokens per minute: limit 2000, requested "), tooLarge.body());
    }

    @Test
    void concurrencyLimitAdmitsExactlyNAndReleasesTheLeasesAfterwards() throws Exception {
        String tenant = createTenant("key-concurrency");
        io.restassured.response.Response issued = issueKey(tenant, Map.of("name", "ci", "maxConcurrent", 3));
        String key = issued.path("key");
        String keyId = issued.path("id");
        double refusedBefore = count("acc.ratelimit.refusals", "scope", "key", "limit", "concurrency");

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            calls.add(post(chatUri, key, chat("slow " + i, 10), "delay=4s"));
        }
        int ok = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> f : calls) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertEquals(429, r.statusCode(), r.body());
                refused++;
                assertEquals("Concurrency limit reached for key " + keyId + ": at most 3 requests in flight. "
                        + "Please try again in 1s.", JSON.readTree(r.body()).path("error").path("message").asText());
                assertEquals("1", header(r, "retry-after"));
            }
        }
        assertEquals(3, ok, "admitted");
        assertEquals(4, refused, "refused");
        assertEquals(refusedBefore + 4, count("acc.ratelimit.refusals", "scope", "key", "limit", "concurrency"));

        // Every lease ended with its call: three new calls at once all pass.
        RateLimit keyLimit = RateLimit.concurrency(RateLimitScope.key(keyId), 3);
        awaitRemaining(tenant, keyLimit, 3);
        List<CompletableFuture<HttpResponse<String>>> again = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            again.add(post(chatUri, key, chat("again " + i, 10), "delay=1s"));
        }
        for (CompletableFuture<HttpResponse<String>> f : again) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
        }
        awaitRemaining(tenant, keyLimit, 3);
    }

    @Test
    void tenantConcurrencyLeaseEndsWhenTheClientDisconnects() throws Exception {
        String tenant = createTenant("tenant-concurrency");
        String k1 = issueKey(tenant, "one", List.of("llm")).path("key");
        String k2 = issueKey(tenant, "two", List.of("llm")).path("key");
        putLimits(tenant, Map.of("maxConcurrent", 1)).then().statusCode(200);
        RateLimit limit = RateLimit.concurrency(RateLimitScope.tenant(), 1);

        String body = chat("held by a client that goes away", 10);
        try (Socket s = new Socket("localhost", chatUri.getPort())) {
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + k1
                    + "\r\nx-acc-mock: delay=4s\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            awaitRemaining(tenant, limit, 0);
            HttpResponse<String> busy = post(chatUri, k2, chat("second", 10), null).get(30, TimeUnit.SECONDS);
            assertEquals(429, busy.statusCode(), busy.body());
            assertEquals("Concurrency limit reached for tenant: at most 1 requests in flight. Please try again in 1s.",
                    JSON.readTree(busy.body()).path("error").path("message").asText());
            assertEquals("1", header(busy, "retry-after"));
        }
        // The client hung up: the call ends as client_disconnected and settle ends its lease (the mock, like a
        // provider that has not answered yet, is not interrupted before its headers, so this takes up to its delay).
        awaitRemaining(tenant, limit, 1);
        HttpResponse<String> next = post(chatUri, k2, chat("third", 10), null).get(30, TimeUnit.SECONDS);
        assertEquals(200, next.statusCode(), next.body());
    }

    @Test
    void redisUnreachableFailsOpenWithAMetric() throws Exception {
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        Redis dead = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + deadPort));
        try {
            CallRateLimiter limiter = new CallRateLimiter(new BudgetRedis(dead, budgetConfig()), prices, metrics, vertx);
            LlmCall call = new LlmCall(Endpoint.CHAT_COMPLETIONS, null);
            call.key = new AuthenticatedKey(UUID.randomUUID(), UUID.randomUUID(), "ci", "acc_x", Set.of("llm"), List.of(),
                    1, 100, null, 1, new AuthenticatedKey.TenantLimits(1, 100, 1));
            call.requestedModel = "mock-small";
            call.body = (ObjectNode) JSON.readTree(chat("fail open", 10));
            double admissionBefore = count("acc.ratelimit.unavailable", "step", "admission");
            double tokensBefore = count("acc.ratelimit.unavailable", "step", "token-admission");

            Throwable admitted = limiter.admit(call).toCompletionStage().toCompletableFuture().handle((v, e) -> e)
                    .get(30, TimeUnit.SECONDS);
            assertNull(admitted);
            Throwable reserved = limiter.reserveTokens(call).toCompletionStage().toCompletableFuture().handle((v, e) -> e)
                    .get(30, TimeUnit.SECONDS);
            assertNull(reserved);
            assertEquals(admissionBefore + 1, count("acc.ratelimit.unavailable", "step", "admission"));
            assertEquals(tokensBefore + 1, count("acc.ratelimit.unavailable", "step", "token-admission"));
        } finally {
            dead.close();
        }
    }

    @Test
    void callsWithoutLimitsCarryNoRateLimitHeaders() throws Exception {
        String tenant = createTenant("unlimited");
        String key = issueKey(tenant, "ci", List.of("llm")).path("key");
        HttpResponse<String> r = post(chatUri, key, chat("free", 10), null).get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("x-ratelimit-limit-requests").isEmpty());
        assertTrue(r.headers().firstValue("x-ratelimit-limit-tokens").isEmpty());
    }

    // ------------------------------------------------------------------ helpers

    private static String chat(String text, int maxTokens) {
        return "{\"model\":\"mock-small\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    private static io.restassured.response.Response putLimits(String tenant, Map<String, Object> body) {
        return given().header("Authorization", bearer(OPERATOR_TOKEN)).contentType(ContentType.JSON).body(body)
                .put("/admin/v1/tenants/" + tenant + "/limits");
    }

    private static io.restassured.response.Response putLimitsRaw(String tenant, String body) {
        return given().header("Authorization", bearer(OPERATOR_TOKEN)).contentType(ContentType.JSON).body(body)
                .put("/admin/v1/tenants/" + tenant + "/limits");
    }

    private static io.restassured.response.Response patchKey(String keyId, String body) {
        return given().header("Authorization", bearer(OPERATOR_TOKEN)).contentType(ContentType.JSON).body(body)
                .patch("/admin/v1/keys/" + keyId);
    }

    private CompletableFuture<HttpResponse<String>> post(URI uri, String key, String body, String mock) {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (mock != null) {
            r.header("x-acc-mock", mock);
        }
        return HTTP.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no header " + name + " in " + r.headers()));
    }

    /** A Go-style duration ({@code 20s}, {@code 19.5s}, {@code 950ms}, {@code 1m0s}) in ms. */
    private static long millis(String go) {
        if (go.endsWith("ms")) {
            return Long.parseLong(go.substring(0, go.length() - 2));
        }
        long minutes = 0;
        String rest = go;
        int m = rest.indexOf('m');
        if (m > 0) {
            minutes = Long.parseLong(rest.substring(0, m));
            rest = rest.substring(m + 1);
        }
        return minutes * 60_000 + Math.round(Double.parseDouble(rest.substring(0, rest.length() - 1)) * 1000);
    }

    /** Tokens a per-minute bucket of {@code limit} gets back between {@code sinceNanos} and now (rounded up). */
    private static long refillSince(long sinceNanos, long limit) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
        return (ms * limit + 59_999) / 60_000 + 1;
    }

    private long remaining(String tenant, RateLimit limit) throws Exception {
        List<RateLimitState> states = redis.rateLimiter().status(tenant, List.of(limit)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        return states.get(0).remaining();
    }

    private void awaitRemaining(String tenant, RateLimit limit, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        long now = remaining(tenant, limit);
        while (now != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = remaining(tenant, limit);
        }
        assertEquals(expected, now, "free slots of " + limit.describe());
    }

    private double count(String name, String... tags) {
        Counter c = metrics.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private static ProxyConfig.Budget budgetConfig() {
        return new ProxyConfig.Budget() {
            @Override
            public boolean failOpen() {
                return false;
            }

            @Override
            public Duration refreshInterval() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration leaseTtl() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Duration redisTimeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration settledMarkerTtl() {
                return Duration.ofMinutes(5);
            }
        };
    }
}
