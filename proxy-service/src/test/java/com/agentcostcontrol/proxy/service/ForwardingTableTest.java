package com.agentcostcontrol.proxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.agentcostcontrol.proxy.OwnerService;
import com.agentcostcontrol.proxy.service.ForwardingTable.Access;

class ForwardingTableTest {

    @ParameterizedTest
    @CsvSource({
            "/v1/budgets, BUDGET, TENANT",
            "/v1/budgets/b-1/status, BUDGET, TENANT",
            "/v1/analytics/spend, ANALYTICS, TENANT",
            "/v1/billing/subscription, BILLING, TENANT",
            "/v1/billing/webhooks/stripe, BILLING, PUBLIC",
            "/v1/billing/webhooks/stripe/extra, BILLING, TENANT",
            "/v1/billing/webhooks, BILLING, TENANT",
            "/v1/security/scan, SECURITY, TENANT",
            "/v1/routing/routes, ROUTER, TENANT",
            "/v1/fleet, GATEWAY, TENANT",
            "/admin/v1/deployments, ROUTER, OPERATOR",
            "/admin/v1/deployments/d-1, ROUTER, OPERATOR",
            "/admin/v1/routes/gpt-4o, ROUTER, OPERATOR",
            "/admin/v1/routing/health, ROUTER, OPERATOR",
            "/admin/v1/budgets/x, BUDGET, OPERATOR",
            "/admin/v1/analytics/x, ANALYTICS, OPERATOR",
            "/admin/v1/billing/plans, BILLING, OPERATOR",
            "/admin/v1/security/policies, SECURITY, OPERATOR",
            "/admin/v1/fleet/snapshot, GATEWAY, OPERATOR" })
    void resolvesOwnerAndAccess(String path, OwnerService owner, Access access) {
        ForwardingTable.Rule rule = ForwardingTable.resolve(path).orElseThrow();
        assertEquals(owner, rule.owner());
        assertEquals(access, rule.access());
        assertTrue(Pattern.matches(ForwardingTable.ROUTE_REGEX, path), "the Vert.x route catches " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/v1/budgetsx", "/v1/chat/completions", "/v1/messages", "/v1/models", "/v1/keys",
            "/v1/tenant", "/admin/v1/tenants", "/admin/v1/keys/k", "/v1/deployments", "/admin/v1/budgets-old", "/" })
    void leavesEverythingElseAlone(String path) {
        assertTrue(ForwardingTable.resolve(path).isEmpty(), path);
    }

    @Test
    void everyRuleIsReachableThroughTheRoute() {
        for (ForwardingTable.Rule rule : ForwardingTable.rules()) {
            assertTrue(Pattern.matches(ForwardingTable.ROUTE_REGEX, rule.prefix()), rule.prefix());
        }
    }
}
