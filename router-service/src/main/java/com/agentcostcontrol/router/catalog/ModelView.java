package com.agentcostcontrol.router.catalog;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.agentcostcontrol.router.pricing.Capability;
import com.agentcostcontrol.router.pricing.ModelPrice;
import com.agentcostcontrol.router.pricing.PriceField;
import com.agentcostcontrol.router.pricing.PriceTier;

/**
 * One catalog model as the API shows it. Prices are decimal strings (never floats), per token
 * and per million tokens, and only those the catalog lists: see docs/PRICING.md for the
 * fallbacks that apply to the others.
 *
 * @param model           the catalog name
 * @param provider        provider family (openai, anthropic, gemini, vertex_ai, bedrock, ...)
 * @param mode            chat, embedding, completion or responses
 * @param contextWindow   max input tokens, {@code null} when unknown
 * @param maxOutputTokens max output tokens per call, {@code null} when unknown
 * @param capabilities    capability names (tools, vision, json, reasoning, caching, ...)
 * @param pricing         base prices
 * @param tiers           long-context tiers: above {@code aboveInputTokens} prompt tokens every
 *                        token of the call is billed at the tier's prices
 * @param source          {@code litellm-2025-12} or {@code override}
 * @param deprecationDate ISO date the provider retires the model, {@code null} when none is known
 */
public record ModelView(String model, String provider, String mode, Integer contextWindow, Integer maxOutputTokens,
        List<String> capabilities, Pricing pricing, List<Tier> tiers, String source, String deprecationDate) {

    private static final List<PriceField> BASE = List.of(PriceField.INPUT, PriceField.OUTPUT, PriceField.CACHE_READ,
            PriceField.CACHE_WRITE_5M, PriceField.CACHE_WRITE_1H, PriceField.REASONING);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** USD per token and per million tokens, keyed input, output, cacheRead, cacheWrite5m, cacheWrite1h, reasoning. */
    public record Pricing(Map<String, String> perToken, Map<String, String> perMillionTokens) {
    }

    public record Tier(long aboveInputTokens, Map<String, String> perToken, Map<String, String> perMillionTokens) {
    }

    public static ModelView of(ModelPrice p) {
        Map<String, BigDecimal> base = new LinkedHashMap<>();
        for (PriceField f : BASE) {
            if (p.price(f) != null) {
                base.put(f.jsonName(), p.price(f));
            }
        }
        List<Tier> tiers = p.tiers().stream().map(ModelView::tier).toList();
        List<String> capabilities = p.capabilities().stream().map(Capability::apiName).sorted().toList();
        return new ModelView(p.model(), p.provider(), p.mode().wireName(), p.contextWindow(), p.maxOutputTokens(),
                capabilities, new Pricing(perToken(base), perMillion(base)), tiers, p.source(),
                p.deprecationDate() == null ? null : p.deprecationDate().toString());
    }

    private static Tier tier(PriceTier t) {
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        if (t.input() != null) {
            prices.put("input", t.input());
        }
        if (t.output() != null) {
            prices.put("output", t.output());
        }
        if (t.cacheRead() != null) {
            prices.put("cacheRead", t.cacheRead());
        }
        if (t.cacheWrite5m() != null) {
            prices.put("cacheWrite5m", t.cacheWrite5m());
        }
        return new Tier(t.aboveInputTokens(), perToken(prices), perMillion(prices));
    }

    private static Map<String, String> perToken(Map<String, BigDecimal> prices) {
        Map<String, String> out = new LinkedHashMap<>();
        prices.forEach((k, v) -> out.put(k, perTokenString(v)));
        return out;
    }

    private static Map<String, String> perMillion(Map<String, BigDecimal> prices) {
        Map<String, String> out = new LinkedHashMap<>();
        prices.forEach((k, v) -> out.put(k, perMillionString(v)));
        return out;
    }

    /** {@code 0.0000025}: exact, plain, without trailing zeros. */
    static String perTokenString(BigDecimal usdPerToken) {
        return usdPerToken.signum() == 0 ? "0" : usdPerToken.stripTrailingZeros().toPlainString();
    }

    /** {@code 2.50}: exact, plain, at least cent precision. */
    static String perMillionString(BigDecimal usdPerToken) {
        BigDecimal v = usdPerToken.multiply(MILLION).stripTrailingZeros();
        return (v.scale() < 2 ? v.setScale(2) : v).toPlainString();
    }
}
