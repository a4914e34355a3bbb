package com.agentcostcontrol.router.routing;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

import com.agentcostcontrol.router.pricing.Capability;

/**
 * What the planner needs to know about one call.
 *
 * @param tenantId             the calling tenant; {@code null} for operator-level planning (no tenant
 *                             routes, rules or prices)
 * @param model                the model name the client asked for
 * @param taskType             from header {@code x-acc-task}; {@code null} when absent or unknown
 * @param requiredCapabilities what the request needs (images, tools, JSON mode, reasoning, ...),
 *                             see {@link RequestFeatures}
 * @param estimatedInputTokens the prompt's token estimate (>= 0)
 * @param maxOutputTokens      the request's output limit, {@code null} when it sets none
 * @param costCeilingUsd       deployments whose worst-case cost for this call is above this are skipped;
 *                             {@code null} for no ceiling
 * @param excludedDeployments  deployment ids (or names) not to plan, e.g. ones already tried
 * @param inboundFormat        the dialect the request arrived in (decides the mock's format)
 */
public record PlanRequest(String tenantId, String model, TaskType taskType, Set<Capability> requiredCapabilities,
        long estimatedInputTokens, Integer maxOutputTokens, BigDecimal costCeilingUsd, Set<String> excludedDeployments,
        WireFormat inboundFormat) {

    public PlanRequest {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        if (estimatedInputTokens < 0) {
            throw new IllegalArgumentException("estimatedInputTokens must not be negative, got " + estimatedInputTokens);
        }
        if (maxOutputTokens != null && maxOutputTokens < 0) {
            throw new IllegalArgumentException("maxOutputTokens must not be negative, got " + maxOutputTokens);
        }
        if (costCeilingUsd != null && costCeilingUsd.signum() < 0) {
            throw new IllegalArgumentException("costCeilingUsd must not be negative, got " + costCeilingUsd.toPlainString());
        }
        requiredCapabilities = requiredCapabilities == null || requiredCapabilities.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(requiredCapabilities));
        excludedDeployments = excludedDeployments == null ? Set.of()
                : Collections.unmodifiableSet(new LinkedHashSet<>(excludedDeployments));
        inboundFormat = inboundFormat == null ? WireFormat.OPENAI : inboundFormat;
    }

    public static Builder builder(String tenantId, String model) {
        return new Builder(tenantId, model);
    }

    /** This request with more deployments excluded (e.g. to re-plan after the attempts already tried). */
    public PlanRequest withExcluded(Set<String> excluded) {
        Set<String> all = new LinkedHashSet<>(excludedDeployments);
        all.addAll(excluded);
        return new PlanRequest(tenantId, model, taskType, requiredCapabilities, estimatedInputTokens, maxOutputTokens,
                costCeilingUsd, all, inboundFormat);
    }

    /** Collects a request's fields. */
    public static final class Builder {
        private final String tenantId;
        private final String model;
        private TaskType taskType;
        private final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        private long estimatedInputTokens;
        private Integer maxOutputTokens;
        private BigDecimal costCeilingUsd;
        private final Set<String> excluded = new LinkedHashSet<>();
        private WireFormat inboundFormat = WireFormat.OPENAI;

        private Builder(String tenantId, String model) {
            this.tenantId = tenantId;
            this.model = model;
        }

        public Builder taskType(TaskType value) {
            this.taskType = value;
            return this;
        }

        public Builder require(Capability... values) {
            Collections.addAll(capabilities, values);
            return this;
        }

        public Builder require(Set<Capability> values) {
            capabilities.addAll(values);
            return this;
        }

        public Builder estimatedInputTokens(long value) {
            this.estimatedInputTokens = value;
            return this;
        }

        public Builder maxOutputTokens(Integer value) {
            this.maxOutputTokens = value;
            return this;
        }

        public Builder costCeilingUsd(BigDecimal value) {
            this.costCeilingUsd = value;
            return this;
        }

        public Builder costCeilingUsd(String value) {
            return costCeilingUsd(value == null ? null : new BigDecimal(value));
        }

        public Builder exclude(String... deployments) {
            Collections.addAll(excluded, deployments);
            return this;
        }

        public Builder exclude(Set<String> deployments) {
            excluded.addAll(deployments);
            return this;
        }

        public Builder inboundFormat(WireFormat value) {
            this.inboundFormat = value;
            return this;
        }

        /** Everything {@link RequestFeatures} found in a request body. */
        public Builder features(RequestFeatures f) {
            capabilities.addAll(f.capabilities());
            estimatedInputTokens = f.estimatedInputTokens();
            maxOutputTokens = f.maxOutputTokens();
            inboundFormat = f.format();
            return this;
        }

        public PlanRequest build() {
            return new PlanRequest(tenantId, model, taskType, capabilities, estimatedInputTokens, maxOutputTokens,
                    costCeilingUsd, excluded, inboundFormat);
        }
    }
}
