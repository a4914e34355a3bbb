package com.agentcostcontrol.router.planning;

import java.util.List;

import com.agentcostcontrol.router.pricing.Capability;
import com.agentcostcontrol.router.routing.PlanRequest;
import com.agentcostcontrol.router.routing.RoutePlan;

/**
 * A dry-run plan as the API shows it. Money is a decimal string; credentials never appear.
 *
 * @param tenantId        the tenant planned for ({@code null}: operator level)
 * @param requestedModel  the model asked for
 * @param model           the model planned after rules
 * @param source          tenant-route, operator-route, built-in or none
 * @param strategy        the strategy of the planned model's route ({@code null} for built-ins)
 * @param request         what the planner was told about the call
 * @param rules           rules that matched, in order
 * @param attempts        what the proxy would try, in order
 * @param skipped         what was left out, and why
 * @param maxWorstCaseUsd the highest worst case of any attempt: what a budget reservation must cover
 * @param healthKnown     false when deployment health could not be read (then every deployment
 *                        was planned as healthy)
 */
public record PlanView(String tenantId, String requestedModel, String model, String source, String strategy,
        RequestView request, List<RuleView> rules, List<AttemptView> attempts, List<SkipView> skipped,
        String maxWorstCaseUsd, boolean healthKnown) {

    public record RequestView(String taskType, List<String> capabilities, long estimatedInputTokens, Integer maxOutputTokens,
            String costCeilingUsd, List<String> excludedDeployments, String inboundFormat) {
    }

    public record RuleView(String id, String tenantId, int priority, String match, String effect) {
    }

    /**
     * @param model the model sent upstream; {@code routeModel} is the chain entry (planned model or fallback) it serves
     */
    public record AttemptView(int index, String deploymentId, String deploymentName, String provider, String model,
            String routeModel, int fallbackIndex, String format, boolean probe, String health, String worstCaseUsd,
            String reason) {
    }

    public record SkipView(String deploymentId, String deploymentName, String routeModel, String reason) {
    }

    public static PlanView of(RoutePlan plan, PlanRequest request, boolean healthKnown) {
        RequestView req = new RequestView(request.taskType() == null ? null : request.taskType().wireName(),
                plan.requiredCapabilities().stream().map(Capability::apiName).sorted().toList(),
                request.estimatedInputTokens(), request.maxOutputTokens(), Usd.format(request.costCeilingUsd()),
                List.copyOf(request.excludedDeployments()), request.inboundFormat().wireName());
        return new PlanView(plan.tenantId(), plan.requestedModel(), plan.model(), plan.source().wireName(),
                plan.strategy() == null ? null : plan.strategy().wireName(), req,
                plan.rules().stream().map(r -> new RuleView(r.ruleId(), r.tenantId(), r.priority(), r.match(), r.effect()))
                        .toList(),
                plan.attempts().stream().map(a -> new AttemptView(a.index(), a.deploymentId(), a.deployment().name(),
                        a.provider(), a.upstreamModel(), a.routeModel(), a.fallbackIndex(), a.format().wireName(), a.probe(),
                        a.health().wireName(), Usd.format(a.worstCaseUsd()), a.reason())).toList(),
                plan.skipped().stream().map(s -> new SkipView(s.deploymentId(), s.deploymentName(), s.routeModel(), s.reason()))
                        .toList(),
                plan.maxWorstCaseUsd().map(Usd::format).orElse(null), healthKnown);
    }
}
