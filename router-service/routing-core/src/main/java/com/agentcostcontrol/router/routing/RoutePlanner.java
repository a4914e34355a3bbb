package com.agentcostcontrol.router.routing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import com.agentcostcontrol.router.pricing.Capability;
import com.agentcostcontrol.router.pricing.CostEstimator;
import com.agentcostcontrol.router.pricing.ModelPrice;
import com.agentcostcontrol.router.pricing.PriceCatalog;
import com.agentcostcontrol.router.routing.RoutePlan.AppliedRule;
import com.agentcostcontrol.router.routing.RoutePlan.Attempt;
import com.agentcostcontrol.router.routing.RoutePlan.Skipped;
import com.agentcostcontrol.router.routing.RoutePlan.Source;
import com.agentcostcontrol.router.routing.health.DeploymentStatus;
import com.agentcostcontrol.router.routing.health.HealthSource;
import com.agentcostcontrol.router.routing.health.HealthState;

/**
 * Plans a call: an ordered list of attempts, each with the reason for its place. Runs in-process
 * (the proxy's hot path) from snapshots: routing tables, price catalog, cached health; no I/O.
 *
 * <h2>Steps</h2>
 * <ol>
 * <li><b>Rules</b> ({@link RoutingSnapshot#rules}: the tenant's, then the operator's, each by
 *     priority). A rule matches when all its criteria hold for the request. Actions:
 *     {@code require-capability} adds a required capability (and later rules see it);
 *     {@code set-strategy} overrides the strategy of every expansion in the plan (the first such rule
 *     wins, later ones are reported as ignored); {@code route-to-model} plans another model instead
 *     of the requested one and ends rule evaluation.</li>
 * <li><b>Expansion</b> of the planned model: its route (the tenant's, else the operator's) lists
 *     deployments, ordered by the strategy; with no route, the {@link BuiltinDeployments}.</li>
 * <li><b>Fallbacks</b>: the route's fallback models in order, each expanded the same way (with its
 *     own route and strategy, not its own fallbacks).</li>
 * <li><b>Filters</b>, per deployment, each recorded as a skip with its reason: disabled; excluded by
 *     the request; its model lacks a required capability; its context window is smaller than the
 *     estimated input; its worst-case cost (pricing-core {@link CostEstimator}, tenant prices) is
 *     above the request's cost ceiling (an unpriced model is skipped when there is a ceiling,
 *     since it cannot be checked). A model the catalog does not know passes the capability and
 *     context checks unchecked, and says so. A deployment already planned is not planned twice.</li>
 * <li><b>Health</b> (from {@link HealthSource}, a cached view): a cooling-down deployment, a
 *     half-open one whose probe slot is taken, and one whose provider reported it about to run out
 *     of requests or tokens move to the end of the plan ({@link PlannerSettings.CooledDown#DEMOTE},
 *     the default) or, for cooling-down ones with {@code SKIP}, out of it. A half-open deployment
 *     keeps its place but is marked {@code probe}.</li>
 * </ol>
 */
public final class RoutePlanner {

    private final Supplier<RoutingSnapshot> snapshots;
    private final Supplier<PriceCatalog> catalogs;
    private final BuiltinDeployments builtins;
    private final HealthSource health;
    private final PlannerSettings settings;
    private final Supplier<? extends RandomGenerator> random;
    private final LatencyTracker latency;

    public RoutePlanner(Supplier<RoutingSnapshot> snapshots, Supplier<PriceCatalog> catalogs, BuiltinDeployments builtins,
            HealthSource health, PlannerSettings settings) {
        this(snapshots, catalogs, builtins, health, settings, ThreadLocalRandom::current);
    }

    /**
     * @param random the randomness of the {@code weighted} strategy; tests pass a seeded generator
     */
    public RoutePlanner(Supplier<RoutingSnapshot> snapshots, Supplier<PriceCatalog> catalogs, BuiltinDeployments builtins,
            HealthSource health, PlannerSettings settings, Supplier<? extends RandomGenerator> random) {
        this.snapshots = snapshots;
        this.catalogs = catalogs;
        this.builtins = builtins == null ? BuiltinDeployments.NONE : builtins;
        this.health = health == null ? HealthSource.NONE : health;
        this.settings = settings;
        this.random = random;
        this.latency = new LatencyTracker(settings.latencyAlpha());
    }

    /** Feeds the {@code lowest-latency} strategy with an attempt's latency (time to answer or first byte). */
    public void recordLatency(String deploymentId, Duration elapsed) {
        latency.record(deploymentId, elapsed);
    }

    public LatencyTracker latency() {
        return latency;
    }

    public PlannerSettings settings() {
        return settings;
    }

    public RoutePlan plan(PlanRequest request) {
        return new Planning(request, snapshots.get(), catalogs.get(), settings.clock().instant()).run();
    }

    /** A deployment on its way into the plan. */
    private static final class Candidate {
        final Deployment deployment;
        final String routeModel;
        final int fallbackIndex;
        final BigDecimal worstCase;
        final String note;
        String reason;
        boolean probe;
        HealthState state = HealthState.HEALTHY;

        Candidate(Deployment deployment, String routeModel, int fallbackIndex, BigDecimal worstCase, String note) {
            this.deployment = deployment;
            this.routeModel = routeModel;
            this.fallbackIndex = fallbackIndex;
            this.worstCase = worstCase;
            this.note = note;
        }
    }

    /** One call's planning state. */
    private final class Planning {
        private final PlanRequest req;
        private final RoutingSnapshot snapshot;
        private final PriceCatalog catalog;
        private final Instant now;
        private final Set<Capability> required;
        private final List<AppliedRule> applied = new ArrayList<>();
        private final List<Candidate> ready = new ArrayList<>();
        private final List<Candidate> demoted = new ArrayList<>();
        private final List<Skipped> skipped = new ArrayList<>();
        private final Set<String> planned = new HashSet<>();
        private Strategy strategyOverride;
        private String strategyRule;
        private BigDecimal requestWorstCase;
        private boolean requestWorstCaseKnown;

        Planning(PlanRequest req, RoutingSnapshot snapshot, PriceCatalog catalog, Instant now) {
            this.req = req;
            this.snapshot = snapshot;
            this.catalog = catalog;
            this.now = now;
            this.required = req.requiredCapabilities().isEmpty() ? EnumSet.noneOf(Capability.class)
                    : EnumSet.copyOf(req.requiredCapabilities());
        }

        RoutePlan run() {
            String model = applyRules();
            Optional<Route> route = snapshot.route(req.tenantId(), model);
            Source source = route.map(r -> r.isOperatorLevel() ? Source.OPERATOR_ROUTE : Source.TENANT_ROUTE)
                    .orElse(Source.NONE);
            boolean served = expand(model, 0, model);
            if (route.isEmpty() && served) {
                source = Source.BUILT_IN;
            }
            Set<String> expanded = new HashSet<>(Set.of(model));
            if (route.isPresent()) {
                List<String> fallbacks = route.get().fallbacks();
                for (int i = 0; i < fallbacks.size(); i++) {
                    String fallback = fallbacks.get(i);
                    if (!expanded.add(fallback)) {
                        skipped.add(new Skipped(null, null, fallback, "fallback " + (i + 1) + " (" + fallback
                                + ") of " + model + " is already in the plan"));
                        continue;
                    }
                    expand(fallback, i + 1, model);
                }
            }
            List<Candidate> ordered = new ArrayList<>(ready);
            ordered.addAll(demoted);
            List<Attempt> attempts = new ArrayList<>();
            for (Candidate c : ordered) {
                if (attempts.size() >= settings.maxAttempts()) {
                    skipped.add(new Skipped(c.deployment.id(), c.deployment.name(), c.routeModel,
                            "beyond the plan's limit of " + settings.maxAttempts() + " attempts"));
                    continue;
                }
                attempts.add(new Attempt(attempts.size(), c.deployment, c.routeModel, c.fallbackIndex,
                        c.deployment.format(req.inboundFormat()), c.probe, c.state, c.worstCase, c.reason));
            }
            Strategy strategy = route.map(r -> strategyOverride != null ? strategyOverride : r.strategy()).orElse(null);
            return new RoutePlan(req.tenantId(), req.model(), model, source, strategy, required, applied, attempts,
                    skipped);
        }

        // ---- rules ------------------------------------------------------------------------------

        /** Evaluates the rules in order; answers the model to plan. */
        private String applyRules() {
            String model = req.model();
            for (RoutingRule rule : snapshot.rules(req.tenantId())) {
                if (!matches(rule)) {
                    continue;
                }
                String effect = rule.effect();
                switch (rule.action()) {
                    case REQUIRE_CAPABILITY -> required.add(rule.targetCapability());
                    case SET_STRATEGY -> {
                        if (strategyOverride == null) {
                            strategyOverride = rule.targetStrategy();
                            strategyRule = rule.id();
                        } else {
                            effect += " (ignored: rule " + strategyRule + " already set " + strategyOverride.wireName() + ")";
                        }
                    }
                    case ROUTE_TO_MODEL -> model = rule.targetModel();
                }
                applied.add(new AppliedRule(rule.id(), rule.tenantId(), rule.priority(), rule.matchDescription(), effect));
                if (rule.action() == RoutingRule.Action.ROUTE_TO_MODEL) {
                    break;
                }
            }
            return model;
        }

        private boolean matches(RoutingRule rule) {
            if (rule.modelPattern() != null && !rule.modelPattern().matches(req.model())) {
                return false;
            }
            if (rule.taskType() != null && rule.taskType() != req.taskType()) {
                return false;
            }
            if (rule.capability() != null && !required.contains(rule.capability())) {
                return false;
            }
            if (rule.maxCostUsd() != null) {
                BigDecimal worst = requestWorstCase();
                return worst != null && worst.compareTo(rule.maxCostUsd()) > 0;
            }
            return true;
        }

        /**
         * The call's worst case at the requested model: the most expensive enabled deployment of its
         * route (or of its built-ins), else the catalog's price of the name itself; {@code null} when
         * nothing is priced.
         */
        private BigDecimal requestWorstCase() {
            if (requestWorstCaseKnown) {
                return requestWorstCase;
            }
            requestWorstCaseKnown = true;
            Optional<Route> route = snapshot.route(req.tenantId(), req.model());
            List<Deployment> deployments = route.map(r -> r.deployments().stream()
                    .map(name -> snapshot.deploymentOf(r, name)).flatMap(Optional::stream).toList())
                    .orElseGet(() -> builtins.resolve(req.model()));
            BigDecimal max = null;
            for (Deployment d : deployments) {
                if (d.enabled()) {
                    BigDecimal w = worstCase(d.model());
                    if (w != null && (max == null || w.compareTo(max) > 0)) {
                        max = w;
                    }
                }
            }
            requestWorstCase = max != null ? max : worstCase(req.model());
            return requestWorstCase;
        }

        private BigDecimal worstCase(String model) {
            return catalog.lookup(req.tenantId(), model).map(this::worstCase).orElse(null);
        }

        private BigDecimal worstCase(ModelPrice price) {
            return CostEstimator.worstCase(price, req.estimatedInputTokens(), req.maxOutputTokens()).total();
        }

        // ---- expansion --------------------------------------------------------------------------

        /** Adds a model's deployments to the plan; answers whether anything serves the model at all. */
        private boolean expand(String model, int fallbackIndex, String plannedModel) {
            String prefix = fallbackIndex == 0 ? "" : "fallback " + fallbackIndex + " of " + plannedModel + ": ";
            Optional<Route> route = snapshot.route(req.tenantId(), model);
            List<Candidate> eligible = new ArrayList<>();
            if (route.isPresent()) {
                Route r = route.get();
                for (String name : r.deployments()) {
                    Optional<Deployment> d = snapshot.deploymentOf(r, name);
                    if (d.isEmpty()) {
                        skipped.add(new Skipped(null, name, model, prefix + "route " + model + " names deployment '"
                                + name + "', which does not exist"));
                        continue;
                    }
                    filter(d.get(), model, fallbackIndex, prefix).ifPresent(eligible::add);
                }
                Strategy strategy = strategyOverride != null ? strategyOverride : r.strategy();
                String origin = prefix + (r.isOperatorLevel() ? "operator" : "tenant") + " route " + model + ", "
                        + strategy.wireName() + (strategyOverride != null ? " (rule " + strategyRule + ")" : "");
                order(eligible, strategy, origin);
                eligible.forEach(this::place);
                return !r.deployments().isEmpty();
            }
            List<Deployment> resolved = builtins.resolve(model);
            if (resolved.isEmpty()) {
                skipped.add(new Skipped(null, null, model, prefix + "no route and no built-in deployment serves model '"
                        + model + "'"));
                return false;
            }
            for (Deployment d : resolved) {
                filter(d, model, fallbackIndex, prefix).ifPresent(eligible::add);
            }
            for (Candidate c : eligible) {
                c.reason = prefix + "built-in deployment for " + model + " (no route)" + c.note;
                place(c);
            }
            return true;
        }

        private Optional<Candidate> filter(Deployment d, String model, int fallbackIndex, String prefix) {
            String why = null;
            BigDecimal worst = null;
            String note = "";
            Optional<ModelPrice> price = catalog.lookup(req.tenantId(), d.model());
            if (!d.enabled()) {
                why = "disabled";
            } else if (req.excludedDeployments().contains(d.id()) || req.excludedDeployments().contains(d.name())) {
                why = "excluded by the request";
            } else if (price.isPresent()) {
                ModelPrice p = price.get();
                Set<Capability> missing = EnumSet.noneOf(Capability.class);
                for (Capability c : required) {
                    if (!p.supports(c)) {
                        missing.add(c);
                    }
                }
                Integer window = p.contextWindow();
                if (!missing.isEmpty()) {
                    why = "model " + d.model() + " lacks " + missing.stream().map(Capability::apiName)
                            .collect(Collectors.joining(", "));
                } else if (window != null && req.estimatedInputTokens() > window) {
                    why = "context window of " + d.model() + " is " + tokens(window) + " tokens, the request needs about "
                            + tokens(req.estimatedInputTokens());
                } else {
                    worst = worstCase(p);
                    if (req.costCeilingUsd() != null && worst.compareTo(req.costCeilingUsd()) > 0) {
                        why = "worst case " + usd(worst) + " is above the cost ceiling " + usd(req.costCeilingUsd());
                    }
                }
            } else if (req.costCeilingUsd() != null) {
                why = "model " + d.model() + " has no price, so the cost ceiling " + usd(req.costCeilingUsd())
                        + " cannot be checked";
            } else {
                note = " (model " + d.model() + " is not in the price catalog: capabilities and context window unchecked)";
            }
            if (why != null) {
                skipped.add(new Skipped(d.id(), d.name(), model, prefix + why));
                return Optional.empty();
            }
            return Optional.of(new Candidate(d, model, fallbackIndex, worst, note));
        }

        // ---- strategies -------------------------------------------------------------------------

        private void order(List<Candidate> eligible, Strategy strategy, String origin) {
            int n = eligible.size();
            switch (strategy) {
                case PRIORITY -> {
                    for (int i = 0; i < n; i++) {
                        eligible.get(i).reason = origin + ": position " + (i + 1) + " of " + n + eligible.get(i).note;
                    }
                }
                case WEIGHTED -> {
                    List<Candidate> pool = new ArrayList<>(eligible);
                    List<Candidate> drawn = new ArrayList<>(n);
                    long total = pool.stream().mapToLong(c -> c.deployment.weight()).sum();
                    RandomGenerator rng = random.get();
                    while (!pool.isEmpty()) {
                        long r = pool.size() == 1 ? 0 : rng.nextLong(total);
                        int pick = 0;
                        for (long acc = pool.get(0).deployment.weight(); acc <= r; acc += pool.get(pick).deployment.weight()) {
                            pick++;
                        }
                        Candidate c = pool.remove(pick);
                        int w = c.deployment.weight();
                        c.reason = origin + ": drawn " + (drawn.size() + 1) + " of " + n + " with weight " + w + " of "
                                + total + " (" + percent(w, total) + ")" + c.note;
                        total -= w;
                        drawn.add(c);
                    }
                    eligible.clear();
                    eligible.addAll(drawn);
                }
                case LOWEST_LATENCY -> {
                    record Measured(Candidate c, Double millis, String where) {
                    }
                    List<Measured> measured = new ArrayList<>(n);
                    for (Candidate c : eligible) {
                        OptionalDouble local = latency.ewmaMillis(c.deployment.id());
                        Double shared = local.isPresent() ? null : health.status(c.deployment.id()).ewmaLatencyMs();
                        measured.add(local.isPresent() ? new Measured(c, local.getAsDouble(), "this proxy")
                                : new Measured(c, shared, shared == null ? null : "all proxies"));
                    }
                    // Never-measured deployments first (stable: in route order), to learn their latency.
                    measured.sort(Comparator.comparing(Measured::millis, Comparator.nullsFirst(Comparator.naturalOrder())));
                    eligible.clear();
                    for (int i = 0; i < n; i++) {
                        Measured m = measured.get(i);
                        m.c.reason = origin + ": " + (m.millis == null ? "latency not measured yet (tried early to measure it)"
                                : "EWMA latency " + String.format(Locale.ROOT, "%.1f", m.millis) + " ms (" + m.where + ")")
                                + ", rank " + (i + 1) + " of " + n + m.c.note;
                        eligible.add(m.c);
                    }
                }
                case LOWEST_COST -> {
                    eligible.sort(Comparator.comparing((Candidate c) -> c.worstCase,
                            Comparator.nullsLast(Comparator.naturalOrder())));
                    for (int i = 0; i < n; i++) {
                        Candidate c = eligible.get(i);
                        c.reason = origin + ": " + (c.worstCase == null ? "no price (ordered last)"
                                : "worst case " + usd(c.worstCase)) + ", rank " + (i + 1) + " of " + n + c.note;
                    }
                }
            }
        }

        // ---- health -----------------------------------------------------------------------------

        private void place(Candidate c) {
            Deployment d = c.deployment;
            if (!planned.add(d.id())) {
                skipped.add(new Skipped(d.id(), d.name(), c.routeModel, "already planned as an earlier attempt"));
                return;
            }
            DeploymentStatus status = health.status(d.id());
            HealthState state = status.state(now);
            c.state = state;
            switch (state) {
                case COOLING_DOWN -> {
                    String why = "cooling down until " + status.cooldownEndsAt() + " (" + cause(status) + ")";
                    if (settings.cooledDown() == PlannerSettings.CooledDown.SKIP) {
                        skipped.add(new Skipped(d.id(), d.name(), c.routeModel, why));
                    } else {
                        c.reason += "; moved to the end: " + why;
                        demoted.add(c);
                    }
                }
                case HALF_OPEN -> {
                    if (status.probeInFlight(now)) {
                        c.reason += "; moved to the end: half-open and another caller is probing it";
                        demoted.add(c);
                    } else {
                        c.probe = true;
                        c.reason += "; half-open: acquire the probe slot before calling (one caller at a time)";
                        ready.add(c);
                    }
                }
                case HEALTHY -> {
                    String limited = rateLimited(status);
                    if (limited != null) {
                        c.reason += "; moved to the end: " + limited;
                        demoted.add(c);
                    } else {
                        ready.add(c);
                    }
                }
            }
        }

        /** Why the provider is about to refuse this call with 429, or {@code null}. */
        private String rateLimited(DeploymentStatus status) {
            Long requests = status.remainingRequests(now);
            if (requests != null && requests <= settings.rateLimitHeadroomRequests()) {
                return "the provider reported " + requests + " requests left until " + status.requestsResetAt();
            }
            Long tokens = status.remainingTokens(now);
            long needed = req.estimatedInputTokens() + (req.maxOutputTokens() == null ? 0 : req.maxOutputTokens());
            if (tokens != null && needed > 0 && tokens < needed) {
                return "the provider reported " + tokens(tokens) + " tokens left until " + status.tokensResetAt()
                        + ", this call needs about " + tokens(needed);
            }
            return null;
        }

        private String cause(DeploymentStatus s) {
            String cause = s.cause() == null ? "" : s.cause();
            return switch (cause) {
                case "failures" -> s.consecutiveFailures() + " failures in a row, last " + s.lastFailureKind();
                case "retry-after" -> "the provider asked to retry after then";
                case "probe-failed" -> "the half-open probe failed (" + s.lastFailureKind() + ")";
                default -> "cooldown";
            };
        }
    }

    static String usd(BigDecimal amount) {
        return "$" + amount.setScale(6, RoundingMode.HALF_UP).toPlainString();
    }

    private static String tokens(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String percent(long part, long total) {
        return BigDecimal.valueOf(part * 100L).divide(BigDecimal.valueOf(total), 1, RoundingMode.HALF_UP).toPlainString() + "%";
    }
}
