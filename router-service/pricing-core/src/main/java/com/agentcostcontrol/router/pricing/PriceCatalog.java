package com.agentcostcontrol.router.pricing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable snapshot of the price catalog plus every tenant's overrides.
 *
 * <h2>Name resolution</h2>
 * A requested model name is resolved to a catalog entry in this order (first hit wins):
 * <ol>
 * <li>the exact name, e.g. {@code gpt-4o}, {@code gemini/gemini-2.5-pro};</li>
 * <li>the same name ignoring case;</li>
 * <li>an undated name resolves to its newest dated snapshot, e.g. {@code claude-sonnet-4} to
 *     {@code claude-sonnet-4-20250514};</li>
 * <li>a provider-prefixed name resolves to the unprefixed entry of that provider, e.g.
 *     {@code openai/gpt-4o} to {@code gpt-4o} and {@code anthropic/claude-sonnet-4-5} to
 *     {@code claude-sonnet-4-5} (only if that entry belongs to the named provider);</li>
 * <li>an unprefixed name resolves to the catalog's provider-prefixed entry, e.g.
 *     {@code deepseek-chat} to {@code deepseek/deepseek-chat}; among several providers the
 *     first-party one wins (order {@link #PROVIDER_PREFERENCE});</li>
 * <li>finally a dated name unknown to the catalog ({@code -YYYYMMDD}, {@code @YYYYMMDD},
 *     {@code -YYYY-MM-DD}) or a {@code -latest} name is retried without that suffix, e.g.
 *     {@code claude-sonnet-4-5-20260101} to {@code claude-sonnet-4-5}.</li>
 * </ol>
 *
 * <h2>Tenant overrides</h2>
 * An override names a model that is resolved the same way; its non-null prices replace the
 * catalog's field by field for that tenant only. An override of a name the catalog does not know
 * defines a tenant-only model ({@link ModelPrice#PROVIDER_CUSTOM}) if it has input and output prices.
 */
public final class PriceCatalog {

    /** Provider prefixes understood in model names, mapped to the catalog's provider. */
    static final Map<String, String> PREFIX_PROVIDER = Map.ofEntries(
            Map.entry("openai", "openai"), Map.entry("anthropic", "anthropic"),
            Map.entry("gemini", "gemini"), Map.entry("vertex_ai", "vertex_ai"), Map.entry("vertex", "vertex_ai"),
            Map.entry("mistral", "mistral"), Map.entry("codestral", "mistral"), Map.entry("deepseek", "deepseek"),
            Map.entry("xai", "xai"), Map.entry("groq", "groq"), Map.entry("openrouter", "openrouter"),
            Map.entry("together_ai", "together_ai"), Map.entry("together", "together_ai"),
            Map.entry("fireworks_ai", "fireworks_ai"), Map.entry("fireworks", "fireworks_ai"),
            Map.entry("bedrock", "bedrock"), Map.entry("bedrock_converse", "bedrock"),
            Map.entry("azure", "azure"), Map.entry("azure_ai", "azure_ai"), Map.entry("mock", "mock"));

    /** Which provider's entry an unprefixed name means when several providers list it. */
    public static final List<String> PROVIDER_PREFERENCE = List.of("mock", "openai", "anthropic", "gemini", "vertex_ai",
            "mistral", "deepseek", "xai", "groq", "together_ai", "fireworks_ai", "openrouter", "bedrock", "azure", "azure_ai");

    private static final Pattern DATED = Pattern.compile("^(.+?)(?:[-@](\\d{8})|-(\\d{4}-\\d{2}-\\d{2}))$");
    private static final Pattern DATED_OR_LATEST = Pattern.compile("^(.+?)(?:[-@]\\d{8}|-\\d{4}-\\d{2}-\\d{2}|-latest)$");
    private static final int MEMO_LIMIT = 10_000;

    private static final Comparator<ModelPrice> ORDER = Comparator.comparing(ModelPrice::provider)
            .thenComparing(ModelPrice::model);

    private final Map<String, ModelPrice> models;
    private final Map<String, String> byLowerName;
    private final Map<String, String> newestDated;
    private final Map<String, List<String>> prefixedForms;
    private final Map<String, Map<String, ModelPrice>> tenantModels;
    private final int overrideCount;
    private final ConcurrentHashMap<String, Optional<String>> memo = new ConcurrentHashMap<>();

    private PriceCatalog(Map<String, ModelPrice> models, Map<String, String> byLowerName, Map<String, String> newestDated,
            Map<String, List<String>> prefixedForms, Map<String, Map<String, ModelPrice>> tenantModels, int overrideCount) {
        this.models = models;
        this.byLowerName = byLowerName;
        this.newestDated = newestDated;
        this.prefixedForms = prefixedForms;
        this.tenantModels = tenantModels;
        this.overrideCount = overrideCount;
    }

    public static PriceCatalog empty() {
        return of(List.of());
    }

    /**
     * A catalog of these models (no tenant overrides).
     *
     * @throws IllegalArgumentException when two entries have the same name
     */
    public static PriceCatalog of(Collection<ModelPrice> entries) {
        Map<String, ModelPrice> models = new TreeMap<>();
        for (ModelPrice m : entries) {
            if (models.putIfAbsent(m.model(), m) != null) {
                throw new IllegalArgumentException("model listed twice: " + m.model());
            }
        }
        Map<String, String> lower = new HashMap<>();
        Map<String, String> dated = new HashMap<>();
        Map<String, String> datedStamp = new HashMap<>();
        Map<String, List<String>> prefixed = new HashMap<>();
        for (ModelPrice m : models.values()) {
            String name = m.model();
            String key = lc(name);
            lower.putIfAbsent(key, name); // TreeMap order: the first of a case-collision wins, deterministically
            Matcher d = DATED.matcher(name);
            if (d.matches()) {
                String stamp = (d.group(2) != null ? d.group(2) : d.group(3).replace("-", ""));
                String base = lc(d.group(1));
                if (stamp.compareTo(datedStamp.getOrDefault(base, "")) > 0) {
                    datedStamp.put(base, stamp);
                    dated.put(base, name);
                }
            }
            int slash = name.indexOf('/');
            if (slash > 0 && m.provider().equals(PREFIX_PROVIDER.get(lc(name.substring(0, slash))))) {
                prefixed.computeIfAbsent(lc(name.substring(slash + 1)), k -> new ArrayList<>()).add(name);
            }
        }
        prefixed.replaceAll((k, names) -> {
            names.sort(Comparator.comparingInt((String n) -> preference(models.get(n).provider())).thenComparing(n -> n));
            return List.copyOf(names);
        });
        return new PriceCatalog(Collections.unmodifiableMap(models), Map.copyOf(lower), Map.copyOf(dated),
                Map.copyOf(prefixed), Map.of(), 0);
    }

    /**
     * This catalog with tenants' overrides (replacing any it had). An override that cannot apply
     * (unknown model without input and output prices, or a second override of the same model
     * for the same tenant) is skipped and described to {@code rejected}.
     */
    public PriceCatalog withOverrides(Collection<TenantPriceOverride> overrides, Consumer<String> rejected) {
        Map<String, Map<String, ModelPrice>> byTenant = new HashMap<>();
        int accepted = 0;
        for (TenantPriceOverride o : overrides) {
            Optional<String> canonical = resolve(o.model());
            String key = canonical.orElse(o.model());
            Map<String, ModelPrice> tenant = byTenant.computeIfAbsent(o.tenantId(), t -> new LinkedHashMap<>());
            if (tenant.containsKey(key)) {
                rejected.accept("tenant " + o.tenantId() + ": second price override for model " + key
                        + " (as '" + o.model() + "') skipped");
                continue;
            }
            try {
                if (canonical.isPresent()) {
                    tenant.put(key, models.get(key).withOverride(o));
                } else if (o.canStandAlone()) {
                    tenant.put(key, ModelPrice.standalone(o));
                } else {
                    rejected.accept("tenant " + o.tenantId() + ": price override for unknown model '" + o.model()
                            + "' skipped; a model the catalog does not know needs input and output prices");
                    continue;
                }
                accepted++;
            } catch (IllegalArgumentException e) {
                rejected.accept("tenant " + o.tenantId() + ": price override for '" + o.model() + "' skipped: " + e.getMessage());
            }
        }
        Map<String, Map<String, ModelPrice>> frozen = new HashMap<>();
        byTenant.forEach((t, m) -> frozen.put(t, Collections.unmodifiableMap(m)));
        return new PriceCatalog(models, byLowerName, newestDated, prefixedForms, Map.copyOf(frozen), accepted);
    }

    /** The catalog entry a requested name means, by the rules above. */
    public Optional<String> resolve(String requested) {
        if (requested == null || requested.isBlank()) {
            return Optional.empty();
        }
        Optional<String> hit = memo.get(requested);
        if (hit != null) {
            return hit;
        }
        String name = requested.trim();
        String found = direct(name);
        if (found == null) {
            Matcher m = DATED_OR_LATEST.matcher(name);
            if (m.matches()) {
                found = direct(m.group(1));
            }
        }
        Optional<String> result = Optional.ofNullable(found);
        if (memo.size() < MEMO_LIMIT) {
            memo.put(requested, result);
        }
        return result;
    }

    private String direct(String name) {
        String found = plain(name);
        if (found != null) {
            return found;
        }
        int slash = name.indexOf('/');
        if (slash > 0) {
            String provider = PREFIX_PROVIDER.get(lc(name.substring(0, slash)));
            if (provider != null) {
                String rest = plain(name.substring(slash + 1));
                if (rest != null && models.get(rest).provider().equals(provider)) {
                    return rest;
                }
            }
        }
        List<String> prefixed = prefixedForms.get(lc(name));
        return prefixed == null ? null : prefixed.get(0);
    }

    private String plain(String name) {
        if (models.containsKey(name)) {
            return name;
        }
        String key = lc(name);
        String ci = byLowerName.get(key);
        return ci != null ? ci : newestDated.get(key);
    }

    /** The catalog price of a model (no tenant overrides). */
    public Optional<ModelPrice> lookup(String model) {
        return resolve(model).map(models::get);
    }

    /**
     * The price a tenant pays for a model: the catalog entry with the tenant's overrides merged
     * in, or the tenant's own model. {@code tenantId} may be {@code null} (no overrides).
     */
    public Optional<ModelPrice> lookup(String tenantId, String model) {
        Map<String, ModelPrice> tenant = tenantId == null ? null : tenantModels.get(tenantId);
        Optional<String> canonical = resolve(model);
        if (canonical.isPresent()) {
            String name = canonical.get();
            return Optional.of(tenant != null && tenant.containsKey(name) ? tenant.get(name) : models.get(name));
        }
        if (tenant == null || model == null) {
            return Optional.empty();
        }
        String wanted = model.trim();
        ModelPrice own = tenant.get(wanted);
        if (own == null) {
            own = tenant.values().stream().filter(p -> p.model().equalsIgnoreCase(wanted)).findFirst().orElse(null);
        }
        return Optional.ofNullable(own);
    }

    /**
     * Like {@link #lookup(String, String)}, for callers that cannot go on without a price.
     *
     * @throws UnknownModelException when neither the catalog nor the tenant's overrides know the model
     */
    public ModelPrice require(String tenantId, String model) {
        return lookup(tenantId, model).orElseThrow(() -> new UnknownModelException(model));
    }

    /** Every catalog model (no overrides), by provider then name. */
    public List<ModelPrice> models() {
        List<ModelPrice> out = new ArrayList<>(models.values());
        out.sort(ORDER);
        return out;
    }

    /** Every model as a tenant sees it: overrides merged in, tenant-only models added. */
    public List<ModelPrice> models(String tenantId) {
        Map<String, ModelPrice> tenant = tenantId == null ? Map.of() : tenantModels.getOrDefault(tenantId, Map.of());
        if (tenant.isEmpty()) {
            return models();
        }
        Map<String, ModelPrice> merged = new HashMap<>(models);
        merged.putAll(tenant);
        List<ModelPrice> out = new ArrayList<>(merged.values());
        out.sort(ORDER);
        return out;
    }

    /** Number of catalog models. */
    public int size() {
        return models.size();
    }

    /** Number of tenant overrides in effect. */
    public int overrideCount() {
        return overrideCount;
    }

    /** Catalog models per provider, by provider name. */
    public Map<String, Integer> countsByProvider() {
        Map<String, Integer> out = new TreeMap<>();
        models.values().forEach(m -> out.merge(m.provider(), 1, Integer::sum));
        return out;
    }

    private static int preference(String provider) {
        int i = PROVIDER_PREFERENCE.indexOf(provider);
        return i < 0 ? PROVIDER_PREFERENCE.size() : i;
    }

    private static String lc(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
