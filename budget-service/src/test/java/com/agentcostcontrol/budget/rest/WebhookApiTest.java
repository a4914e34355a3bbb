package com.agentcostcontrol.budget.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.Fixtures;
import com.agentcostcontrol.budget.service.WebhookSecrets;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class WebhookApiTest {

    @Inject
    Fixtures fx;
    @Inject
    DataSource dataSource;
    @Inject
    WebhookSecrets secrets;

    @Test
    void setsAWebhookAndShowsItsSecretOnlyOnce() {
        UUID tenant = fx.tenant();
        String secret = fx.admin(tenant).body("{\"url\": \"https://hooks.example.com/acc\"}").put("/v1/budgets/webhook")
                .then().statusCode(200)
                .body("url", equalTo("https://hooks.example.com/acc"))
                .body("secret", startsWith("whsec_"))
                .extract().path("secret");
        assertTrue(secret.length() > 40, secret);

        fx.viewer(tenant).get("/v1/budgets/webhook").then().statusCode(200)
                .body("url", equalTo("https://hooks.example.com/acc"))
                .body("createdAt", notNullValue())
                .body("$", not(hasKey("secret")))
                .body(not(containsString(secret)));

        // Stored encrypted: the row never holds the secret, and decrypts to it with ACC_SECRET_KEY.
        String stored = storedSecret(tenant);
        assertTrue(stored.startsWith("v1:"), stored);
        assertFalse(stored.contains(secret.substring(6)));
        assertEquals(secret, secrets.open(tenant, stored));

        // Every PUT issues a new secret.
        String second = fx.admin(tenant).body("{\"url\": \"https://hooks.example.com/acc2\"}").put("/v1/budgets/webhook")
                .then().statusCode(200).extract().path("secret");
        assertNotEquals(secret, second);
        fx.admin(tenant).get("/v1/budgets/webhook").then().statusCode(200).body("url", equalTo("https://hooks.example.com/acc2"));

        fx.admin(tenant).delete("/v1/budgets/webhook").then().statusCode(204);
        fx.admin(tenant).get("/v1/budgets/webhook").then().statusCode(404).body("error.type", equalTo("not_found"));
        fx.admin(tenant).delete("/v1/budgets/webhook").then().statusCode(404);
    }

    @Test
    void validatesTheUrlAndNamesTheField() {
        UUID tenant = fx.tenant();
        for (String body : new String[] {"{}", "{\"url\": 5}", "{\"url\": \"\"}", "{\"url\": \"ftp://x.example.com/\"}",
                "{\"url\": \"not a url\"}", "{\"url\": \"https://u:p@hooks.example.com/\"}"}) {
            fx.admin(tenant).body(body).put("/v1/budgets/webhook").then().statusCode(400)
                    .body("error.type", equalTo("invalid_request")).body("error.field", equalTo("url"));
        }
        fx.admin(tenant).body("[1]").put("/v1/budgets/webhook").then().statusCode(400);
        fx.admin(tenant).get("/v1/budgets/webhook").then().statusCode(404);
    }

    @Test
    void onlyTheTenantsWritersMayChangeItAndOtherTenantsSeeNothing() {
        UUID tenant = fx.tenant();
        UUID other = fx.tenant();
        fx.viewer(tenant).body("{\"url\": \"https://hooks.example.com/v\"}").put("/v1/budgets/webhook").then().statusCode(403);
        fx.admin(tenant).body("{\"url\": \"https://hooks.example.com/t\"}").put("/v1/budgets/webhook").then().statusCode(200);

        // Another tenant's admin cannot read or change it, even naming the tenant.
        fx.admin(other).get("/v1/budgets/webhook").then().statusCode(404);
        // Naming it answers exactly what a tenant that does not exist answers (docs/IDENTITY.md).
        String theirs = tenant.toString();
        String ghost = UUID.randomUUID().toString();
        BudgetApiTest.assertSameAsNonexistent(t -> fx.admin(other).get("/v1/budgets/webhook?tenantId=" + t), theirs, ghost);
        BudgetApiTest.assertSameAsNonexistent(t -> fx.admin(other).body("{\"url\": \"https://evil.example.com/\"}")
                .put("/v1/budgets/webhook?tenantId=" + t), theirs, ghost);
        BudgetApiTest.assertSameAsNonexistent(t -> fx.admin(other).delete("/v1/budgets/webhook?tenantId=" + t), theirs, ghost);
        BudgetApiTest.assertSameAsNonexistent(t -> fx.admin(other).get("/v1/budgets/webhook/deliveries?tenantId=" + t),
                theirs, ghost);
        String event = UUID.randomUUID().toString();
        BudgetApiTest.assertSameAsNonexistent(t -> fx.admin(other).get("/v1/budgets/webhook/deliveries/" + event
                + "?tenantId=" + t), theirs, ghost);
        fx.viewer(tenant).delete("/v1/budgets/webhook").then().statusCode(403);
        fx.admin(tenant).get("/v1/budgets/webhook").then().statusCode(200).body("url", equalTo("https://hooks.example.com/t"));

        // An operator names the tenant.
        fx.operator().get("/v1/budgets/webhook?tenantId=" + tenant).then().statusCode(200);
        fx.operator().body("{\"url\": \"https://hooks.example.com/op\"}").put("/v1/budgets/webhook?tenantId=" + UUID.randomUUID())
                .then().statusCode(404);
        fx.operator().get("/v1/budgets/webhook").then().statusCode(400).body("error.field", equalTo("tenantId"));
        given().get("/v1/budgets/webhook").then().statusCode(401);
    }

    @Test
    void deliveriesAreListedPerTenantWithValidatedFilters() {
        UUID tenant = fx.tenant();
        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries").then().statusCode(200).body("deliveries", hasSize(0));
        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries?status=sent").then().statusCode(400)
                .body("error.field", equalTo("status"));
        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries?limit=0").then().statusCode(400).body("error.field", equalTo("limit"));
        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries?limit=x").then().statusCode(400).body("error.field", equalTo("limit"));
        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries?budgetId=nope").then().statusCode(400)
                .body("error.field", equalTo("budgetId"));
        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries/" + UUID.randomUUID()).then().statusCode(404);
        fx.viewer(tenant).get("/v1/budgets/webhook/deliveries/not-a-uuid").then().statusCode(404);
    }

    @Test
    void theWebhookPathIsNotMistakenForABudgetId() {
        UUID tenant = fx.tenant();
        String id = fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"total\",\"limitUsd\":\"1\"}");
        fx.admin(tenant).get("/v1/budgets/" + id).then().statusCode(200).body("id", equalTo(id));
        fx.admin(tenant).get("/v1/budgets/" + id + "/alerts").then().statusCode(200)
                .body("alerts", hasSize(0)).body("forecastAlerts", hasSize(0));
        fx.admin(tenant).get("/v1/budgets/webhook").then().statusCode(404)
                .body("error.message", containsString("PUT /v1/budgets/webhook"));
    }

    private String storedSecret(UUID tenant) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT secret_ciphertext FROM budget_webhooks WHERE tenant_id = ?")) {
            q.setObject(1, tenant);
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
