package com.agentcostcontrol.analytics.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.analytics.Ledger;
import com.agentcostcontrol.analytics.UsageEventBuilder;
import com.agentcostcontrol.testing.AccTestEnvironment;
import com.agentcostcontrol.testing.TestIdentities;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_analytics"), @ResourceArg(name = "redisDb", value = "5") })
class CallsApiTest {

    private static final String PATH = "/v1/analytics/calls";
    private static final Instant T0 = Instant.parse("2026-04-10T12:00:00Z");

    @Inject
    Ledger ledger;

    @Test
    void pagesThroughEveryCallNewestFirstOnce() {
        UUID tenant = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        List<String> newestFirst = new ArrayList<>();
        // Five calls a minute apart, and two more at the same instant as the newest (ties break by request id).
        for (int i = 0; i < 5; i++) {
            UsageEventBuilder e = UsageEventBuilder.call(tenant).requestId("req_page_" + tenant.toString()
                    .substring(0, 8) + "_" + i).at(T0.plusSeconds(60L * i));
            ledger.xadd(e);
            newestFirst.add(0, e.requestId());
        }
        for (String suffix : List.of("b", "a")) {
            UsageEventBuilder e = UsageEventBuilder.call(tenant).requestId("req_tie_" + tenant.toString()
                    .substring(0, 8) + "_" + suffix).at(T0.plusSeconds(240));
            ledger.xadd(e);
        }
        newestFirst.add(0, "req_tie_" + tenant.toString().substring(0, 8) + "_a");
        newestFirst.add(0, "req_tie_" + tenant.toString().substring(0, 8) + "_b");
        // Ties at 240 s: req_tie_b, req_tie_a, then req_page_4 (request ids descending: "req_tie" > "req_page").
        ledger.xadd(UsageEventBuilder.call(other).at(T0.plusSeconds(120)));
        Ledger.eventually(Ledger.WAIT, "all seven calls are stored", () -> ledger.rowsOfTenant(tenant) == 7);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().header(TestIdentities.header(), TestIdentities.tenantViewer(tenant.toString()))
                    .queryParam("limit", 3);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response r = request.get(PATH);
            assertEquals(200, r.statusCode(), r.asString());
            seen.addAll(r.jsonPath().getList("data.requestId"));
            cursor = r.path("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(newestFirst, seen);
    }

    @Test
    void callsCarryTheirFiguresAndFiltersApply() {
        UUID tenant = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        UsageEventBuilder priced = UsageEventBuilder.call(tenant).key(key).agent("planner")
                .served("claude-sonnet-4-5", "anthropic").tokens(10, 20, 30, 40, 50).cost(123_456L).at(T0);
        UsageEventBuilder refused = UsageEventBuilder.call(tenant).refused("gpt-4o", 403, "model_not_allowed")
                .at(T0.plusSeconds(1));
        UsageEventBuilder unpriced = UsageEventBuilder.call(tenant).served("llama-x", "openai-compatible").cost(null)
                .at(T0.plusSeconds(2));
        List.of(priced, refused, unpriced).forEach(ledger::xadd);
        Ledger.eventually(Ledger.WAIT, "the calls are stored", () -> ledger.rowsOfTenant(tenant) == 3);
        String viewer = TestIdentities.tenantViewer(tenant.toString());

        Response byKey = given().header(TestIdentities.header(), viewer).queryParam("keyId", key).get(PATH);
        assertEquals(200, byKey.statusCode(), byKey.asString());
        assertEquals(1, byKey.jsonPath().getList("data").size());
        assertEquals(priced.requestId(), byKey.path("data[0].requestId"));
        assertEquals("2026-04-10T12:00:00Z", byKey.path("data[0].occurredAt"));
        assertEquals("planner", byKey.path("data[0].agentId"));
        assertEquals("claude-sonnet-4-5", byKey.path("data[0].servedModel"));
        assertEquals("anthropic", byKey.path("data[0].provider"));
        assertEquals(30, (int) byKey.path("data[0].cacheWrite5mTokens"));
        assertEquals(40, (int) byKey.path("data[0].cacheWrite1hTokens"));
        assertEquals("0.123456", byKey.path("data[0].costUsd"));
        assertNull(byKey.path("nextCursor"));

        given().header(TestIdentities.header(), viewer).queryParam("status", "refused").get(PATH).then()
                .statusCode(200)
                .body("data.size()", equalTo(1))
                .body("data[0].requestId", equalTo(refused.requestId()))
                .body("data[0].errorCode", equalTo("model_not_allowed"))
                .body("data[0].ttftMs", equalTo(null));
        // model matches the requested model too (the refused call was served by nothing)
        given().header(TestIdentities.header(), viewer).queryParam("model", "gpt-4o").get(PATH).then()
                .statusCode(200).body("data.requestId", equalTo(List.of(refused.requestId())));
        given().header(TestIdentities.header(), viewer).queryParam("model", "llama-x").get(PATH).then()
                .statusCode(200).body("data[0].costUsd", equalTo(null));
        given().header(TestIdentities.header(), viewer).queryParam("from", "2026-04-10T12:00:01Z")
                .queryParam("to", "2026-04-10T12:00:02Z").get(PATH).then()
                .statusCode(200).body("data.requestId", equalTo(List.of(refused.requestId())));
    }

    @Test
    void anotherTenantsCallsAreNeverListed() {
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        ledger.xadd(UsageEventBuilder.call(theirs).at(T0));
        Ledger.eventually(Ledger.WAIT, "their call is stored", () -> ledger.rowsOfTenant(theirs) == 1);
        given().header(TestIdentities.header(), TestIdentities.tenantAdmin(mine.toString())).get(PATH).then()
                .statusCode(200).body("data.size()", equalTo(0));
        given().header(TestIdentities.header(), TestIdentities.tenantAdmin(mine.toString()))
                .queryParam("tenantId", theirs).get(PATH).then().statusCode(404);
        given().header(TestIdentities.header(), TestIdentities.operator()).queryParam("tenantId", theirs).get(PATH)
                .then().statusCode(200).body("data.size()", equalTo(1));
    }

    /** docs/IDENTITY.md: another tenant's tenant id or key id answers exactly what a nonexistent one does. */
    @Test
    void anotherTenantsIdsAnswerExactlyAsNonexistentOnes() {
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        UUID theirKey = UUID.randomUUID();
        ledger.xadd(UsageEventBuilder.call(theirs).key(theirKey).at(T0));
        Ledger.eventually(Ledger.WAIT, "their call is stored", () -> ledger.rowsOfTenant(theirs) == 1);
        String me = TestIdentities.tenantAdmin(mine.toString());

        Response other = given().header(TestIdentities.header(), me).queryParam("tenantId", theirs).get(PATH);
        Response none = given().header(TestIdentities.header(), me).queryParam("tenantId", UUID.randomUUID()).get(PATH);
        assertEquals(404, other.statusCode(), other.asString());
        assertEquals("not_found", other.path("error.type"));
        assertEquals(none.statusCode(), other.statusCode());
        assertEquals(none.asString(), other.asString());

        Response otherKey = given().header(TestIdentities.header(), me).queryParam("keyId", theirKey).get(PATH);
        Response noKey = given().header(TestIdentities.header(), me).queryParam("keyId", UUID.randomUUID()).get(PATH);
        assertEquals(200, otherKey.statusCode(), otherKey.asString());
        assertEquals(List.of(), otherKey.jsonPath().getList("data"));
        assertEquals(noKey.statusCode(), otherKey.statusCode());
        assertEquals(noKey.asString(), otherKey.asString());
    }

    @Test
    void badParametersAreRefused() {
        String viewer = TestIdentities.tenantViewer(UUID.randomUUID().toString());
        given().header(TestIdentities.header(), viewer).queryParam("limit", 0).get(PATH).then().statusCode(400)
                .body("error.field", equalTo("limit")).body("error.message", containsString("from 1 to 500"));
        given().header(TestIdentities.header(), viewer).queryParam("limit", "many").get(PATH).then().statusCode(400)
                .body("error.field", equalTo("limit"));
        given().header(TestIdentities.header(), viewer).queryParam("cursor", "not-a-cursor").get(PATH).then()
                .statusCode(400).body("error.field", equalTo("cursor"));
        given().header(TestIdentities.header(), viewer).queryParam("status", "fine").get(PATH).then()
                .statusCode(400).body("error.message", containsString("status must be one of: ok, refused"));
        given().header(TestIdentities.header(), viewer).queryParam("keyId", "k1").get(PATH).then()
                .statusCode(400).body("error.field", equalTo("keyId"));
        given().get(PATH).then().statusCode(401);
    }
}
