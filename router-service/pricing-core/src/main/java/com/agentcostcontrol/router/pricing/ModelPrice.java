package com.agentcostcontrol.router.pricing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The prices and limits of one model: every {@link PriceField} as exact USD per token
 * ({@code null} where the catalog has no separate price — see {@link CostCalculator} for the
 * fallbacks), context window, max output and capabilities. Immutable; build with {@link #builder}.
 */
public final class ModelPrice {

    /** {@code source} of rows copied from the LiteLLM snapshot. */
    public static final String SOURCE_LITELLM = "litellm-2025-12";
    /** {@code source} of rows set by the project or an operator, and of tenant-overridden prices. */
    public static final String SOURCE_OVERRIDE = "override";
    /** Provider of a model that exists only as a tenant's override. */
    public static final String PROVIDER_CUSTOM = "custom";

    private final String model;
    private final String provider;
    private final Mode mode;
    private final Map<PriceField, BigDecimal> prices;
    private final Integer contextWindow;
    private final Integer maxOutputTokens;
    private final Set<Capability> capabilities;
    private final LocalDate deprecationDate;
    private final String source;
    private final List<PriceTier> tiers;

    private ModelPrice(Builder b) {
        this.model = requireText(b.model, "model");
        this.provider = requireText(b.provider, "provider of " + b.model);
        this.mode = Objects.requireNonNull(b.mode, "mode of " + b.model);
        EnumMap<PriceField, BigDecimal> p = new EnumMap<>(PriceField.class);
        b.prices.forEach((field, value) -> {
            if (value != null) {
                if (value.signum() < 0) {
                    throw new IllegalArgumentException(model + ": negative " + field.column() + " " + value.toPlainString());
                }
                p.put(field, value);
            }
        });
        if (!p.containsKey(PriceField.INPUT)) {
            throw new IllegalArgumentException(model + ": missing " + PriceField.INPUT.column());
        }
        if (!p.containsKey(PriceField.OUTPUT) && mode != Mode.EMBEDDING) {
            throw new IllegalArgumentException(model + ": missing " + PriceField.OUTPUT.column() + " for a " + mode.wireName() + " model");
        }
        this.prices = Collections.unmodifiableMap(p);
        this.contextWindow = positiveOrNull(b.contextWindow, "context window");
        this.maxOutputTokens = positiveOrNull(b.maxOutputTokens, "max output tokens");
        this.capabilities = Collections.unmodifiableSet(b.capabilities.isEmpty()
                ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(b.capabilities));
        this.deprecationDate = b.deprecationDate;
        this.source = requireText(b.source, "source of " + b.model);
        this.tiers = buildTiers(p);
    }

    public static Builder builder(String model, String provider, Mode mode) {
        return new Builder().model(model).provider(provider).mode(mode);
    }

    /** A builder pre-filled with this model's values. */
    public Builder toBuilder() {
        Builder b = new Builder().model(model).provider(provider).mode(mode)
                .contextWindow(contextWindow).maxOutputTokens(maxOutputTokens)
                .deprecationDate(deprecationDate).source(source);
        prices.forEach(b::price);
        capabilities.forEach(b::capability);
        return b;
    }

    /**
     * This model with a tenant's negotiated prices: every non-null price of the override
     * replaces the catalog's, field by field; the rest is inherited.
     */
    public ModelPrice withOverride(TenantPriceOverride override) {
        Builder b = toBuilder().source(SOURCE_OVERRIDE);
        override.prices().forEach(b::price);
        return b.build();
    }

    /** A model that exists only as a tenant's override (a private fine-tune, a self-hosted model). */
    public static ModelPrice standalone(TenantPriceOverride override) {
        Builder b = builder(override.model(), PROVIDER_CUSTOM, Mode.CHAT).source(SOURCE_OVERRIDE);
        override.prices().forEach(b::price);
        return b.build();
    }

    public String model() {
        return model;
    }

    public String provider() {
        return provider;
    }

    public Mode mode() {
        return mode;
    }

    /** The price of one dimension, or {@code null} when the catalog has none (fallbacks apply). */
    public BigDecimal price(PriceField field) {
        return prices.get(field);
    }

    /** Every price present, by dimension. */
    public Map<PriceField, BigDecimal> prices() {
        return prices;
    }

    public BigDecimal inputCostPerToken() {
        return prices.get(PriceField.INPUT);
    }

    /** Output price; zero for embedding models that list none. */
    public BigDecimal outputCostPerToken() {
        return prices.getOrDefault(PriceField.OUTPUT, BigDecimal.ZERO);
    }

    /** Context window (max input tokens), or {@code null} when unknown. */
    public Integer contextWindow() {
        return contextWindow;
    }

    /** Max output tokens per call, or {@code null} when unknown. */
    public Integer maxOutputTokens() {
        return maxOutputTokens;
    }

    public Set<Capability> capabilities() {
        return capabilities;
    }

    public boolean supports(Capability capability) {
        return capabilities.contains(capability);
    }

    public LocalDate deprecationDate() {
        return deprecationDate;
    }

    /** {@link #SOURCE_LITELLM} or {@link #SOURCE_OVERRIDE}. */
    public String source() {
        return source;
    }

    /** Long-context price tiers, lowest threshold first; empty for most models. */
    public List<PriceTier> tiers() {
        return tiers;
    }

    /**
     * The tier that applies to a prompt of {@code totalInputTokens} (uncached + cache read +
     * cache write): the highest one whose threshold the prompt exceeds.
     */
    public Optional<PriceTier> tierFor(long totalInputTokens) {
        PriceTier applied = null;
        for (PriceTier t : tiers) {
            if (totalInputTokens > t.aboveInputTokens()) {
                applied = t;
            }
        }
        return Optional.ofNullable(applied);
    }

    private static List<PriceTier> buildTiers(Map<PriceField, BigDecimal> p) {
        List<PriceTier> out = new ArrayList<>(2);
        if (p.containsKey(PriceField.INPUT_ABOVE_128K) || p.containsKey(PriceField.OUTPUT_ABOVE_128K)) {
            out.add(new PriceTier(128_000, p.get(PriceField.INPUT_ABOVE_128K), p.get(PriceField.OUTPUT_ABOVE_128K), null, null));
        }
        if (p.containsKey(PriceField.INPUT_ABOVE_200K) || p.containsKey(PriceField.OUTPUT_ABOVE_200K)
                || p.containsKey(PriceField.CACHE_READ_ABOVE_200K) || p.containsKey(PriceField.CACHE_WRITE_ABOVE_200K)) {
            out.add(new PriceTier(200_000, p.get(PriceField.INPUT_ABOVE_200K), p.get(PriceField.OUTPUT_ABOVE_200K),
                    p.get(PriceField.CACHE_READ_ABOVE_200K), p.get(PriceField.CACHE_WRITE_ABOVE_200K)));
        }
        return List.copyOf(out);
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + what);
        }
        return value;
    }

    private Integer positiveOrNull(Integer value, String what) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(model + ": " + what + " must be positive, got " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "ModelPrice[" + model + " @" + provider + " " + mode.wireName() + " " + prices + "]";
    }

    /** Collects a model's values; {@link #build()} validates them. */
    public static final class Builder {
        private String model;
        private String provider;
        private Mode mode;
        private final EnumMap<PriceField, BigDecimal> prices = new EnumMap<>(PriceField.class);
        private Integer contextWindow;
        private Integer maxOutputTokens;
        private final EnumSet<Capability> capabilities = EnumSet.noneOf(Capability.class);
        private LocalDate deprecationDate;
        private String source = SOURCE_LITELLM;

        private Builder() {
        }

        public Builder model(String value) {
            this.model = value;
            return this;
        }

        public Builder provider(String value) {
            this.provider = value;
            return this;
        }

        public Builder mode(Mode value) {
            this.mode = value;
            return this;
        }

        /** Sets (or with {@code null}, clears) one price in USD per token. */
        public Builder price(PriceField field, BigDecimal usdPerToken) {
            if (usdPerToken == null) {
                prices.remove(field);
            } else {
                prices.put(field, usdPerToken);
            }
            return this;
        }

        /** Sets one price from its exact decimal text, e.g. {@code "0.0000025"} or {@code "3e-06"}. */
        public Builder price(PriceField field, String usdPerToken) {
            return price(field, usdPerToken == null ? null : new BigDecimal(usdPerToken));
        }

        public Builder contextWindow(Integer value) {
            this.contextWindow = value;
            return this;
        }

        public Builder maxOutputTokens(Integer value) {
            this.maxOutputTokens = value;
            return this;
        }

        public Builder capability(Capability capability) {
            capabilities.add(capability);
            return this;
        }

        public Builder capabilities(Set<Capability> values) {
            capabilities.addAll(values);
            return this;
        }

        public Builder deprecationDate(LocalDate value) {
            this.deprecationDate = value;
            return this;
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        /** @throws IllegalArgumentException when a value is missing, negative or out of range */
        public ModelPrice build() {
            return new ModelPrice(this);
        }
    }
}
