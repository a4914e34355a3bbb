package com.agentcostcontrol.proxy.llm.provider;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** Finds the adapter for a deployment's provider name. */
@ApplicationScoped
public class Providers {

    private final Map<String, ProviderAdapter> byName = new HashMap<>();

    public Providers(Instance<ProviderAdapter> adapters) {
        for (ProviderAdapter adapter : adapters) {
            for (String name : adapter.providers()) {
                if (byName.put(name, adapter) != null) {
                    throw new IllegalStateException("two adapters claim provider " + name);
                }
            }
        }
    }

    /** The adapter, or null for a provider name no adapter serves. */
    public ProviderAdapter forProvider(String provider) {
        return byName.get(provider);
    }
}
