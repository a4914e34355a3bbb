package com.agentcostcontrol.proxy.service;

import java.util.List;
import java.util.Optional;

import com.agentcostcontrol.proxy.OwnerService;

/**
 * Which owner serves a management path, and who may call it. Paths are matched after
 * normalisation (dot segments removed, unreserved escapes decoded), so what is authorised is
 * exactly what is forwarded.
 */
public final class ForwardingTable {

    /** Who may call a forwarded path. */
    public enum Access {
        /** Nobody authenticates at the edge: the owner verifies the call itself (Stripe's signature). */
        PUBLIC,
        /** Operators, and callers that belong to a tenant (tenant-admin, tenant-viewer, manage keys). */
        TENANT,
        /** Operators only. */
        OPERATOR
    }

    public record Rule(String prefix, OwnerService owner, Access access, boolean exact) {
        boolean matches(String path) {
            return exact ? path.equals(prefix) : path.equals(prefix) || path.startsWith(prefix + "/");
        }
    }

    /** Stripe posts here; billing-service checks the {@code Stripe-Signature} over the untouched body. */
    public static final String STRIPE_WEBHOOK = "/v1/billing/webhooks/stripe";

    /** Every path family that is forwarded, for the Vert.x route that catches them. */
    public static final String ROUTE_REGEX =
            "^/(v1/(budgets|analytics|billing|security|routing|fleet)"
                    + "|admin/v1/(budgets|analytics|billing|security|routing|fleet|deployments|routes))(/.*)?$";

    // Order matters: the exact webhook rule precedes the /v1/billing family.
    private static final List<Rule> RULES = List.of(
            new Rule(STRIPE_WEBHOOK, OwnerService.BILLING, Access.PUBLIC, true),
            new Rule("/v1/budgets", OwnerService.BUDGET, Access.TENANT, false),
            new Rule("/v1/analytics", OwnerService.ANALYTICS, Access.TENANT, false),
            new Rule("/v1/billing", OwnerService.BILLING, Access.TENANT, false),
            new Rule("/v1/security", OwnerService.SECURITY, Access.TENANT, false),
            new Rule("/v1/routing", OwnerService.ROUTER, Access.TENANT, false),
            new Rule("/v1/fleet", OwnerService.GATEWAY, Access.TENANT, false),
            new Rule("/admin/v1/budgets", OwnerService.BUDGET, Access.OPERATOR, false),
            new Rule("/admin/v1/analytics", OwnerService.ANALYTICS, Access.OPERATOR, false),
            new Rule("/admin/v1/billing", OwnerService.BILLING, Access.OPERATOR, false),
            new Rule("/admin/v1/security", OwnerService.SECURITY, Access.OPERATOR, false),
            new Rule("/admin/v1/routing", OwnerService.ROUTER, Access.OPERATOR, false),
            new Rule("/admin/v1/deployments", OwnerService.ROUTER, Access.OPERATOR, false),
            new Rule("/admin/v1/routes", OwnerService.ROUTER, Access.OPERATOR, false),
            new Rule("/admin/v1/fleet", OwnerService.GATEWAY, Access.OPERATOR, false));

    private ForwardingTable() {
    }

    public static Optional<Rule> resolve(String normalizedPath) {
        if (normalizedPath == null) {
            return Optional.empty();
        }
        for (Rule rule : RULES) {
            if (rule.matches(normalizedPath)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    public static List<Rule> rules() {
        return RULES;
    }
}
