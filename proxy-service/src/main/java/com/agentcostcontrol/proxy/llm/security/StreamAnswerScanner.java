package com.agentcostcontrol.proxy.llm.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.security.core.Direction;
import com.agentcostcontrol.security.core.Policy;

/**
 * Streamed answers' counterpart of {@link AnswerScanner}: gives each stream whose tenant scans
 * answers a {@link StreamAnswerScan} (same detectors, same policies), which the relay puts between
 * the stream translator and the client.
 */
@ApplicationScoped
public class StreamAnswerScanner implements Hooks.StreamScanner {

    private final SecurityPolicies policies;
    private final CallScanner scanner;
    private final int holdbackChars;

    public StreamAnswerScanner(SecurityPolicies policies, CallScanner scanner,
            @ConfigProperty(name = "acc.proxy.security.stream-holdback-chars", defaultValue = "512") int holdbackChars) {
        if (holdbackChars < 1) {
            throw new IllegalArgumentException("acc.proxy.security.stream-holdback-chars must be at least 1; got "
                    + holdbackChars);
        }
        this.policies = policies;
        this.scanner = scanner;
        this.holdbackChars = holdbackChars;
    }

    @Override
    public Hooks.StreamGuard start(LlmCall call) {
        if (!call.endpoint.generates()) {
            return null;
        }
        Policy policy = policies.forTenant(call.key == null ? null : call.key.tenantId());
        if (policy.active(Direction.RESPONSE).isEmpty()) {
            return null;
        }
        return new StreamAnswerScan(policy, call.inboundFormat(), holdbackChars, scanner);
    }
}
