package com.agentcostcontrol.analytics.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.agentcostcontrol.analytics.Ledger;
import com.agentcostcontrol.analytics.UsageEventBuilder;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.agentcostcontrol.testing.TestIdentities;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Events XADDed to {@code acc:usage} in the proxy's shape are consumed into the ledger, and the spend API sums
 * them exactly, per tenant, for every groupBy.
 */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_analytics"), @ResourceArg(name = "redisDb", value = "5") })
class SpendApiTest {

    private static final String PATH = "/v1/analytics/spend";
    private static final Instant DAY1 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-03-02T00:00:00Z");

    /** Tenant A (the subject), tenant B (the neighbour); seeded once for the class. */
    static final UUID A = UUID.randomUUID();
    static final UUID B = UUID.randomUUID();
    static final UUID K1 = UUID.randomUUID();
    static final UUID K2 = UUID.randomUUID();
    static boolean seeded;

    @Inject
    Ledger ledger;
    @Inject
    MeterRegistry metrics;

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        double duplicatesBefore = duplicates();
        List<UsageEventBuilder> events = new ArrayList<>();
        UsageEventBuilder r1 = UsageEventBuilder.call(A).key(K1).agent("planner").served("gpt-4o-mini", "openai")
                .tokens(100, 20, 0, 0, 50).cost(1_234L).at(DAY1.plusSeconds(10 * 3600));
        events.add(r1);
        // The last millisecond of day 1 and the first of day 2 fall on their own days.
        events.add(UsageEventBuilder.call(A).key(K1).agent("planner").served("claude-sonnet-4-5", "anthropic")
                .tokens(10, 0, 30, 5, 200).cost(250_000L).at(DAY2.minusMillis(1)));
        events.add(UsageEventBuilder.call(A).key(K2).agent(null).served("gpt-4o-mini", "openai")
                .tokens(1000, 0, 0, 0, 1).cost(7L).at(DAY2));
        events.add(UsageEventBuilder.call(A).key(K2).agent("coder").refused("my-alias", 403, "model_not_allowed")
                .at(DAY2.plusSeconds(12 * 3600)));
        // An unpriced model: counted as a request and tokens, cost 0.
        events.add(UsageEventBuilder.call(A).key(K1).agent("coder").served("llama-x", "openai-compatible")
                .tokens(5, 0, 0, 0, 5).cost(null).at(DAY2.plusSeconds(13 * 3600)));
        // Outside every queried window.
        events.add(UsageEventBuilder.call(A).key(K1).served("gpt-4o-mini", "openai").cost(5L)
                .at(Instant.parse("2026-03-05T00:00:00Z")));
        // The neighbour's call, same day and model.
        events.add(UsageEventBuilder.call(B).served("gpt-4o-mini", "openai").tokens(1, 0, 0, 0, 1).cost(999_999L)
                .at(DAY1.plusSeconds(3600)));
        events.forEach(ledger::xadd);
        // The proxy may deliver an event twice (a batch re-sent after a lost acknowledgement).
        ledger.xadd(r1);

        Ledger.eventually(Ledger.WAIT, "tenant A's six calls are in the ledger", () -> ledger.rowsOfTenant(A) == 6);
        Ledger.eventually(Ledger.WAIT, "tenant B's call is in the ledger", () -> ledger.rowsOfTenant(B) == 1);
        Ledger.eventually(Ledger.WAIT, "the duplicate is seen", () -> duplicates() == duplicatesBefore + 1);
        assertEquals(1, ledger.rowsOfRequest(r1.requestId()), "the duplicate is stored once");
        seeded = true;
    }

    private double duplicates() {
        return metrics.get("acc.analytics.usage.consumed").tag("result", "duplicate").counter().count();
    }

    /** GET with the query's parameters, written plainly ({@code a=1&b=2}); rest-assured encodes them. */
    private static Response spend(String identity, String query) {
        var request = given().header(TestIdentities.header(), identity);
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                request = request.queryParam(kv[0], kv[1]);
            }
        }
        return request.get(PATH);
    }

    private static List<Map<String, Object>> rows(String query) {
        Response r = spend(TestIdentities.tenantViewer(A.toString()), query);
        assertEquals(200, r.statusCode(), r.asString());
        return r.jsonPath().getList("rows");
    }

    /** A row as the API must answer it. */
    private static Map<String, Object> row(String group, int requests, int input, int output, String costUsd) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("group", group);
        m.put("requests", requests);
        m.put("inputTokens", input);
        m.put("outputTokens", output);
        m.put("costUsd", costUsd);
        return m;
    }

    @Test
    void byModelSortedByCost() {
        assertEquals(List.of(
                row("claude-sonnet-4-5", 1, 45, 200, "0.250000"),
                row("gpt-4o-mini", 2, 1120, 51, "0.001241"),
                row("llama-x", 1, 5, 5, "0.000000"),
                // refused before any deployment served it: grouped under the requested model
                row("my-alias", 1, 0, 0, "0.000000")),
                rows("groupBy=model&from=2026-03-01&to=2026-03-02"));
    }

    @Test
    void byProvider() {
        assertEquals(List.of(
                row("anthropic", 1, 45, 200, "0.250000"),
                row("openai", 2, 1120, 51, "0.001241"),
                row("openai-compatible", 1, 5, 5, "0.000000"),
                row(null, 1, 0, 0, "0.000000")),
                rows("groupBy=provider&from=2026-03-01&to=2026-03-02"));
    }

    @Test
    void byKey() {
        assertEquals(List.of(
                row(K1.toString(), 3, 170, 255, "0.251234"),
                row(K2.toString(), 2, 1000, 1, "0.000007")),
                rows("groupBy=key&from=2026-03-01&to=2026-03-02"));
    }

    @Test
    void byAgent() {
        assertEquals(List.of(
                row("planner", 2, 165, 250, "0.251234"),
                row(null, 1, 1000, 1, "0.000007"),
                row("coder", 2, 5, 5, "0.000000")),
                rows("groupBy=agent&from=2026-03-01&to=2026-03-02"));
    }

    @Test
    void byUtcDayOldestFirst() {
        assertEquals(List.of(
                row("2026-03-01", 2, 165, 250, "0.251234"),
                row("2026-03-02", 3, 1005, 6, "0.000007")),
                rows("groupBy=day&from=2026-03-01&to=2026-03-02"));
    }

    @Test
    void instantsAreFromInclusiveToExclusive() {
        // [day 1 00:00, day 2 00:00): the call at 23:59:59.999 is in, the one at day 2 00:00 is not.
        assertEquals(List.of(row("2026-03-01", 2, 165, 250, "0.251234")),
                rows("groupBy=day&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z"));
        // Offsets are honoured: 2026-03-02T01:00+01:00 is day 2 00:00Z, so the same range.
        assertEquals(List.of(row("2026-03-01", 2, 165, 250, "0.251234")),
                rows("groupBy=day&from=2026-03-01T00:00:00Z&to=2026-03-02T01:00:00+01:00"));
        // An offset's '+' sent unencoded decodes to a space: read back as '+'.
        assertEquals(List.of(row("2026-03-01", 2, 165, 250, "0.251234")),
                rows("groupBy=day&from=2026-03-01T00:00:00Z&to=2026-03-02T01:00:00 01:00"));
        // From the first millisecond of day 2 on: the call at 00:00 counts.
        assertEquals(List.of(row("2026-03-02", 1, 1000, 1, "0.000007")),
                rows("groupBy=day&from=2026-03-02T00:00:00Z&to=2026-03-02T00:00:00.001Z"));
    }

    @Test
    void partialDaysFromTheLedgerAndWholeDaysFromTheRollupAddUp() {
        // [day 1 12:00, day 3 00:00): day 1's afternoon (only the call at 23:59:59.999) plus the whole of day 2.
        assertEquals(List.of(
                row("2026-03-01", 1, 45, 200, "0.250000"),
                row("2026-03-02", 3, 1005, 6, "0.000007")),
                rows("groupBy=day&from=2026-03-01T12:00:00Z&to=2026-03-02"));
        assertEquals(List.of(
                row("claude-sonnet-4-5", 1, 45, 200, "0.250000"),
                row("gpt-4o-mini", 1, 1000, 1, "0.000007"),
                row("llama-x", 1, 5, 5, "0.000000"),
                row("my-alias", 1, 0, 0, "0.000000")),
                rows("groupBy=model&from=2026-03-01T12:00:00Z&to=2026-03-02"));
        // [day 1 00:00, day 2 12:00): whole day 1 and day 2's morning (the call at 00:00).
        assertEquals(List.of(
                row(K1.toString(), 2, 165, 250, "0.251234"),
                row(K2.toString(), 1, 1000, 1, "0.000007")),
                rows("groupBy=key&from=2026-03-01&to=2026-03-02T12:00:00Z"));
        // Inside one day: the ledger alone.
        assertEquals(List.of(row("planner", 1, 120, 50, "0.001234")),
                rows("groupBy=agent&from=2026-03-01T09:00:00Z&to=2026-03-01T11:00:00Z"));
    }

    @Test
    void answerEchoesTheResolvedRange() {
        spend(TestIdentities.tenantViewer(A.toString()), "groupBy=day&from=2026-03-01&to=2026-03-02").then()
                .statusCode(200)
                .body("groupBy", equalTo("day"))
                .body("from", equalTo("2026-03-01T00:00:00Z"))
                .body("to", equalTo("2026-03-03T00:00:00Z"));
    }

    @Test
    void defaultsToThisMonthUntilNowAndGroupByModel() {
        UUID tenant = UUID.randomUUID();
        Instant now = Instant.now();
        ledger.xadd(UsageEventBuilder.call(tenant).served("mock-small", "mock").tokens(3, 0, 0, 0, 4).cost(42L)
                .at(now.minusSeconds(1)));
        // Last month's call is outside the default range.
        Instant lastMonth = YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .minusSeconds(3600);
        ledger.xadd(UsageEventBuilder.call(tenant).served("mock-small", "mock").cost(1_000L).at(lastMonth));
        Ledger.eventually(Ledger.WAIT, "both calls are in the ledger", () -> ledger.rowsOfTenant(tenant) == 2);

        Response r = spend(TestIdentities.tenantAdmin(tenant.toString()), "");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("model", r.path("groupBy"));
        assertEquals(YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString(),
                r.path("from"));
        assertEquals(List.of(row("mock-small", 1, 3, 4, "0.000042")), r.jsonPath().getList("rows"));
    }

    @Test
    void aTenantSeesOnlyItsOwnCalls() {
        Response b = spend(TestIdentities.manageKey(B.toString(), UUID.randomUUID().toString()),
                "groupBy=model&from=2026-03-01&to=2026-03-02");
        assertEquals(200, b.statusCode(), b.asString());
        assertEquals(List.of(row("gpt-4o-mini", 1, 1, 1, "0.999999")), b.jsonPath().getList("rows"));

        // Naming the other tenant does not help: it answers exactly as a tenant that does not exist (docs/IDENTITY.md).
        Response other = spend(TestIdentities.tenantAdmin(A.toString()),
                "groupBy=model&from=2026-03-01&to=2026-03-02&tenantId=" + B);
        other.then().statusCode(404)
                .body("error.type", equalTo("not_found"))
                .body(org.hamcrest.Matchers.not(containsString("0.999999")));
        Response none = spend(TestIdentities.tenantAdmin(A.toString()),
                "groupBy=model&from=2026-03-01&to=2026-03-02&tenantId=" + UUID.randomUUID());
        assertEquals(none.statusCode(), other.statusCode());
        assertEquals(none.asString(), other.asString());
        // A tenant with no calls sees no rows, not someone else's.
        assertEquals(List.of(), spend(TestIdentities.tenantViewer(UUID.randomUUID().toString()),
                "groupBy=model&from=2026-03-01&to=2026-03-02").jsonPath().getList("rows"));
    }

    @Test
    void operatorNamesTheTenant() {
        Response r = spend(TestIdentities.operator(), "groupBy=key&from=2026-03-01&to=2026-03-02&tenantId=" + A);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(2, r.jsonPath().getList("rows").size());
        assertEquals("0.251234", r.path("rows[0].costUsd"));

        spend(TestIdentities.operator(), "groupBy=key").then().statusCode(400)
                .body(containsString("tenantId"));
        spend(TestIdentities.operator(), "groupBy=key&tenantId=not-a-uuid").then().statusCode(400)
                .body(containsString("UUID"));
    }

    @Test
    void badGroupByListsTheAllowedValues() {
        spend(TestIdentities.tenantViewer(A.toString()), "groupBy=team").then().statusCode(400)
                .body("error.field", equalTo("groupBy"))
                .body("error.message", equalTo("groupBy must be one of: model, provider, key, agent, day (got \"team\")"));
    }

    @Test
    void badRangesAreRefused() {
        String viewer = TestIdentities.tenantViewer(A.toString());
        spend(viewer, "groupBy=day&from=2026-03-05&to=2026-03-01").then().statusCode(400)
                .body(containsString("must be before to"));
        spend(viewer, "groupBy=day&from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z").then().statusCode(400)
                .body(containsString("must be before to"));
        spend(viewer, "groupBy=day&from=2025-01-01&to=2026-03-01").then().statusCode(400)
                .body(containsString("366 days"));
        // A whole leap year (366 days) is allowed.
        spend(viewer, "groupBy=day&from=2024-01-01&to=2024-12-31").then().statusCode(200);
        spend(viewer, "groupBy=day&from=yesterday").then().statusCode(400)
                .body("error.field", equalTo("from"))
                .body("error.message", allOf(containsString("from must be an ISO-8601 instant"),
                        containsString("(got \"yesterday\")")));
        // A local time without an offset is ambiguous.
        spend(viewer, "groupBy=day&to=2026-03-01T10:00:00").then().statusCode(400)
                .body(containsString("to must be an ISO-8601 instant with an offset"));
    }

    @Test
    void callsWithoutAVerifiedIdentityAreRefused() {
        given().get(PATH + "?groupBy=model").then().statusCode(401);
        given().header(TestIdentities.header(), TestIdentities.forged(
                com.agentcostcontrol.platform.identity.CallerIdentity.operator("x")))
                .get(PATH + "?groupBy=model&tenantId=" + A).then().statusCode(401);
    }
}
