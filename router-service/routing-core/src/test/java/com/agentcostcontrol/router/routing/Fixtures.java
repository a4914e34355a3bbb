package com.agentcostcontrol.router.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.agentcostcontrol.router.pricing.Capability;
import com.agentcostcontrol.router.pricing.Mode;
import com.agentcostcontrol.router.pricing.ModelPrice;
import com.agentcostcontrol.router.pricing.PriceCatalog;
import com.agentcostcontrol.router.pricing.PriceField;

/** A small price catalog (figures as in the real one) and builders for routing tables. */
final class Fixtures {

    static final String TENANT_A = "7a1c0000-0000-4000-8000-00000000000a";
    static final String TENANT_B = "7a1c0000-0000-4000-8000-00000000000b";

    static final ModelPrice GPT_4O = ModelPrice.builder("gpt-4o", "openai", Mode.CHAT)
            .price(PriceField.INPUT, "0.0000025").price(PriceField.OUTPUT, "0.00001")
            .price(PriceField.CACHE_READ, "0.00000125")
            .contextWindow(128_000).maxOutputTokens(16_384)
            .capabilities(Set.of(Capability.TOOLS, Capability.VISION, Capability.JSON, Capability.CACHING)).build();
    static final ModelPrice GPT_4O_MINI = ModelPrice.builder("gpt-4o-mini", "openai", Mode.CHAT)
            .price(PriceField.INPUT, "0.00000015").price(PriceField.OUTPUT, "0.0000006")
            .price(PriceField.CACHE_READ, "0.000000075")
            .contextWindow(128_000).maxOutputTokens(16_384)
            .capabilities(Set.of(Capability.TOOLS, Capability.VISION, Capability.JSON, Capability.CACHING)).build();
    static final ModelPrice CLAUDE_SONNET_4_5 = ModelPrice.builder("claude-sonnet-4-5", "anthropic", Mode.CHAT)
            .price(PriceField.INPUT, "0.000003").price(PriceField.OUTPUT, "0.000015")
            .price(PriceField.CACHE_READ, "0.0000003").price(PriceField.CACHE_WRITE_5M, "0.00000375")
            .contextWindow(200_000).maxOutputTokens(64_000)
            .capabilities(Set.of(Capability.TOOLS, Capability.VISION, Capability.JSON, Capability.REASONING,
                    Capability.CACHING)).build();
    static final ModelPrice DEEPSEEK_CHAT = ModelPrice.builder("deepseek/deepseek-chat", "deepseek", Mode.CHAT)
            .price(PriceField.INPUT, "0.00000027").price(PriceField.OUTPUT, "0.0000011")
            .contextWindow(65_536).maxOutputTokens(8_192)
            .capabilities(Set.of(Capability.TOOLS)).build();
    static final ModelPrice MOCK_SMALL = GPT_4O_MINI.toBuilder().model("mock-small").provider("mock")
            .source(ModelPrice.SOURCE_OVERRIDE).build();
    static final ModelPrice MOCK_LARGE = CLAUDE_SONNET_4_5.toBuilder().model("mock-large").provider("mock")
            .source(ModelPrice.SOURCE_OVERRIDE).build();

    static final PriceCatalog CATALOG = PriceCatalog.of(List.of(GPT_4O, GPT_4O_MINI, CLAUDE_SONNET_4_5, DEEPSEEK_CHAT,
            MOCK_SMALL, MOCK_LARGE));

    private Fixtures() {
    }

    /** An operator-level deployment with id {@code op-<name>}. */
    static Deployment op(String name, String provider, String model) {
        return new Deployment("op-" + name, null, name, provider, model, null, null, 1, 60_000, true);
    }

    static Deployment op(String name, String provider, String model, int weight) {
        return new Deployment("op-" + name, null, name, provider, model, null, null, weight, 60_000, true);
    }

    /** A tenant's deployment with id {@code <tenant prefix>-<name>}. */
    static Deployment tenant(String tenantId, String name, String provider, String model) {
        return new Deployment(tenantId.substring(tenantId.length() - 1) + "-" + name, tenantId, name, provider, model,
                null, null, 1, 60_000, true);
    }

    static Deployment disabled(Deployment d) {
        return new Deployment(d.id(), d.tenantId(), d.name(), d.provider(), d.model(), d.baseUrl(), d.apiKeyCiphertext(),
                d.weight(), d.timeoutMs(), false);
    }

    static Route route(String tenantId, String model, Strategy strategy, List<String> deployments, String... fallbacks) {
        return new Route("route-" + model + "-" + tenantId, tenantId, model, strategy, deployments, Arrays.asList(fallbacks));
    }

    static Route route(String model, Strategy strategy, String... deployments) {
        return route(null, model, strategy, List.of(deployments));
    }

    /** Snapshot builder. */
    static final class Tables {
        final List<Deployment> deployments = new ArrayList<>();
        final List<Route> routes = new ArrayList<>();
        final List<RoutingRule> rules = new ArrayList<>();

        Tables add(Deployment... d) {
            deployments.addAll(List.of(d));
            return this;
        }

        Tables add(Route... r) {
            routes.addAll(List.of(r));
            return this;
        }

        Tables add(RoutingRule... r) {
            rules.addAll(List.of(r));
            return this;
        }

        RoutingSnapshot snapshot() {
            return RoutingSnapshot.of(deployments, routes, rules);
        }
    }

    static RuleBuilder rule(String id, String tenantId, int priority) {
        return new RuleBuilder(id, tenantId, priority);
    }

    /** Rule builder (every criterion optional). */
    static final class RuleBuilder {
        private final String id;
        private final String tenantId;
        private final int priority;
        private Glob model;
        private TaskType task;
        private Capability capability;
        private java.math.BigDecimal maxCost;
        private Instant createdAt = Instant.parse("2025-01-01T00:00:00Z");

        RuleBuilder(String id, String tenantId, int priority) {
            this.id = id;
            this.tenantId = tenantId;
            this.priority = priority;
        }

        RuleBuilder model(String glob) {
            this.model = Glob.of(glob);
            return this;
        }

        RuleBuilder task(TaskType t) {
            this.task = t;
            return this;
        }

        RuleBuilder needs(Capability c) {
            this.capability = c;
            return this;
        }

        RuleBuilder costAbove(String usd) {
            this.maxCost = new java.math.BigDecimal(usd);
            return this;
        }

        RuleBuilder createdAt(String instant) {
            this.createdAt = Instant.parse(instant);
            return this;
        }

        RoutingRule routeTo(String target) {
            return new RoutingRule(id, tenantId, priority, null, model, task, capability, maxCost,
                    RoutingRule.Action.ROUTE_TO_MODEL, target, null, null, createdAt);
        }

        RoutingRule strategy(Strategy s) {
            return new RoutingRule(id, tenantId, priority, null, model, task, capability, maxCost,
                    RoutingRule.Action.SET_STRATEGY, null, s, null, createdAt);
        }

        RoutingRule require(Capability c) {
            return new RoutingRule(id, tenantId, priority, null, model, task, capability, maxCost,
                    RoutingRule.Action.REQUIRE_CAPABILITY, null, null, c, createdAt);
        }
    }
}
