package com.agentcostcontrol.router;

import java.util.Arrays;
import java.util.Optional;

/** The provider kinds a deployment can point at, with their wire names. */
public enum Provider {
    OPENAI("openai", false),
    ANTHROPIC("anthropic", false),
    OPENAI_COMPATIBLE("openai-compatible", true),
    AZURE_OPENAI("azure-openai", true),
    SUB2API("sub2api", true),
    MOCK("mock", false);

    /** For Bean Validation {@code @Pattern}: every wire name. */
    public static final String WIRE_PATTERN = "openai|anthropic|openai-compatible|azure-openai|sub2api|mock";

    private final String wireName;
    private final boolean needsBaseUrl;

    Provider(String wireName, boolean needsBaseUrl) {
        this.wireName = wireName;
        this.needsBaseUrl = needsBaseUrl;
    }

    public String wireName() {
        return wireName;
    }

    /** Providers without a well-known public endpoint need the deployment to say where they are. */
    public boolean needsBaseUrl() {
        return needsBaseUrl;
    }

    public static Optional<Provider> fromWire(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }
}
