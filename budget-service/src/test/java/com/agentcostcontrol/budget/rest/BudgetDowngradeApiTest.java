package com.agentcostcontrol.budget.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.Fixtures;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetDefinitionReader;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The optional downgrade policy of a budget ({@code "downgrade": {"model", "atPercent"}}) through the API. */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class BudgetDowngradeApiTest {

    private static final String TENANT_DAILY = "\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"10.00\"";

    @Inject
    Fixtures fx;
    @Inject
    DataSource dataSource;

    @Test
    void thePolicyIsStoredShownChangedAndRemoved() throws Exception {
        UUID tenant = fx.tenant();
        String id = fx.admin(tenant).body("{" + TENANT_DAILY + ",\"downgrade\":{\"model\":\"mock-small\",\"atPercent\":90}}")
                .post("/v1/budgets").then().statusCode(201)
                .body("downgrade.model", equalTo("mock-small"))
                .body("downgrade.atPercent", equalTo(90))
                .extract().path("id");
        fx.viewer(tenant).get("/v1/budgets/" + id).then().statusCode(200)
                .body("downgrade.model", equalTo("mock-small")).body("downgrade.atPercent", equalTo(90));
        // What the proxy's snapshot reads (budget-core's reader) carries the policy too.
        BudgetDefinition read = definition(tenant, id);
        assertEquals("mock-small", read.downgrade().model());
        assertEquals(90, read.downgrade().atPercent());
        assertEquals(9_000_000L, read.atDowngradeThreshold().limitMicros());
        assertEquals(true, read.atDowngradeThreshold().hard());

        // atPercent defaults to 100: downgrade only when the asked-for model would not fit at all.
        fx.admin(tenant).body("{" + TENANT_DAILY + ",\"mode\":\"soft\",\"downgrade\":{\"model\":\"gpt-4o-mini\"}}")
                .put("/v1/budgets/" + id).then().statusCode(200)
                .body("mode", equalTo("soft"))
                .body("downgrade.model", equalTo("gpt-4o-mini"))
                .body("downgrade.atPercent", equalTo(100));
        assertEquals(100, definition(tenant, id).downgrade().atPercent());

        // A PUT replaces the whole budget: without "downgrade" the policy is gone.
        fx.admin(tenant).body("{" + TENANT_DAILY + "}").put("/v1/budgets/" + id).then().statusCode(200)
                .body("downgrade", nullValue());
        assertNull(definition(tenant, id).downgrade());
        assertColumnsNull(id);
        fx.admin(tenant).get("/v1/budgets").then().statusCode(200).body("budgets", hasSize(1))
                .body("budgets[0].downgrade", nullValue());
    }

    @Test
    void aModelBudgetDowngradesToACheaperModelOnly() {
        UUID tenant = fx.tenant();
        UUID key = fx.key(tenant);
        fx.admin(tenant).body("{\"scope\":{\"type\":\"model\",\"id\":\"mock-large\"},\"period\":\"monthly\",\"limitUsd\":\"5\","
                + "\"downgrade\":{\"model\":\"mock-small\",\"atPercent\":80}}")
                .post("/v1/budgets").then().statusCode(201).body("downgrade.model", equalTo("mock-small"));
        fx.admin(tenant).body("{\"scope\":{\"type\":\"key+model\",\"id\":\"" + key + "\",\"model\":\"gpt-4o\"},"
                + "\"period\":\"monthly\",\"limitUsd\":\"5\",\"downgrade\":{\"model\":\"gpt-4o-mini\",\"atPercent\":1}}")
                .post("/v1/budgets").then().statusCode(201).body("downgrade.atPercent", equalTo(1));

        // mock-small -> mock-large is an upgrade (20x the input price).
        refused(tenant, "{\"scope\":{\"type\":\"model\",\"id\":\"mock-small\"},\"period\":\"monthly\",\"limitUsd\":\"5\","
                + "\"downgrade\":{\"model\":\"mock-large\"}}", "downgrade.model", "not cheaper than 'mock-small'");
        refused(tenant, "{\"scope\":{\"type\":\"key+model\",\"id\":\"" + key + "\",\"model\":\"gpt-4o\"},"
                + "\"period\":\"monthly\",\"limitUsd\":\"5\",\"downgrade\":{\"model\":\"gpt-4o\"}}",
                "downgrade.model", "the model this budget counts");
        // gpt-4o-mini and mock-small are priced alike: equal is not cheaper.
        refused(tenant, "{\"scope\":{\"type\":\"model\",\"id\":\"gpt-4o-mini\"},\"period\":\"monthly\",\"limitUsd\":\"5\","
                + "\"downgrade\":{\"model\":\"mock-small\"}}", "downgrade.model", "not cheaper");
        fx.admin(tenant).get("/v1/budgets").then().statusCode(200).body("budgets", hasSize(2));
    }

    @Test
    void aBadPolicyIsRefusedNamingTheField() throws Exception {
        UUID tenant = fx.tenant();
        String unpriced = "unpriced-test-model-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "INSERT INTO model_prices (model, provider, mode, source) VALUES (?, 'openai', 'chat', 'override')")) {
            q.setString(1, unpriced);
            q.executeUpdate();
        }
        refused(tenant, "{" + TENANT_DAILY + ",\"downgrade\":\"mock-small\"}", "downgrade", "must be an object");
        refused(tenant, "{" + TENANT_DAILY + ",\"downgrade\":{\"atPercent\":90}}", "downgrade.model", "required");
        refused(tenant, "{" + TENANT_DAILY + ",\"downgrade\":{\"model\":42}}", "downgrade.model", "non-empty string");
        refused(tenant, "{" + TENANT_DAILY + ",\"downgrade\":{\"model\":\"no-such-model-xyz\"}}", "downgrade.model",
                "not in the price catalog");
        refused(tenant, "{" + TENANT_DAILY + ",\"downgrade\":{\"model\":\"" + unpriced + "\"}}", "downgrade.model",
                "no input price");
        refused(tenant, "{" + TENANT_DAILY + ",\"downgrade\":{\"model\":\"mock-small\",\"atPercent\":0}}",
                "downgrade.atPercent", "1 to 100");
        refused(tenant, "{" + TENANT_DAILY + ",\"downgrade\":{\"model\":\"mock-small\",\"atPercent\":101}}",
                "downgrade.atPercent", "1 to 100");
        refused(tenant, "{" + TENANT_DAILY + ",\"downgrade\":{\"model\":\"mock-small\",\"atPercent\":\"90\"}}",
                "downgrade.atPercent", "whole percentage");
        refused(tenant, "{" + TENANT_DAILY + ",\"downgrade\":{\"model\":\"mock-small\",\"atPercent\":90.5}}",
                "downgrade.atPercent", "whole percentage");
        refused(tenant, "{" + TENANT_DAILY + ",\"downgrade\":{\"model\":\"mock-small\",\"percent\":90}}",
                "downgrade", "only the fields model and atPercent");
        fx.admin(tenant).get("/v1/budgets").then().statusCode(200).body("budgets", hasSize(0));

        // A PUT is checked the same way and leaves the budget as it was.
        String id = fx.budget(tenant, "{" + TENANT_DAILY + ",\"downgrade\":{\"model\":\"mock-small\",\"atPercent\":75}}");
        fx.admin(tenant).body("{" + TENANT_DAILY + ",\"downgrade\":{\"model\":\"no-such-model-xyz\"}}")
                .put("/v1/budgets/" + id).then().statusCode(400).body("error.field", equalTo("downgrade.model"));
        fx.admin(tenant).get("/v1/budgets/" + id).then().statusCode(200).body("downgrade.model", equalTo("mock-small"))
                .body("downgrade.atPercent", equalTo(75));
    }

    private BudgetDefinition definition(UUID tenant, String id) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            List<BudgetDefinition> all = BudgetDefinitionReader.ofTenant(c, tenant);
            return all.stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
        }
    }

    private void assertColumnsNull(String id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT downgrade_model, downgrade_at_percent FROM budgets WHERE id = ?")) {
            q.setObject(1, UUID.fromString(id));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertNull(rs.getString(1));
                assertNull(rs.getObject(2));
            }
        }
    }

    private void refused(UUID tenant, String body, String field, String messagePart) {
        fx.admin(tenant).body(body).post("/v1/budgets").then().statusCode(400)
                .body("error.type", equalTo("invalid_request"))
                .body("error.field", equalTo(field))
                .body("error.message", containsString(messagePart));
    }
}
