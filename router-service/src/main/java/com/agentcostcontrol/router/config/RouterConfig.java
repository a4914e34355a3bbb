package com.agentcostcontrol.router.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** router-service settings. */
@ConfigMapping(prefix = "acc.router")
public interface RouterConfig {

    /**
     * Base64 of the 32-byte AES-256-GCM key that encrypts provider credentials ({@code apiKey} of a
     * deployment) at rest; env {@code ACC_SECRET_KEY}. The proxy needs the same key to use them.
     * When unset the service runs, but creating or updating a deployment with an {@code apiKey}
     * is refused (503) with a message saying to set it. A malformed key stops startup.
     */
    Optional<String> secretKey();
}
