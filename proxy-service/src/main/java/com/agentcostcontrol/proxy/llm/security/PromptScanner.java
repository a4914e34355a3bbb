package com.agentcostcontrol.proxy.llm.security;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.security.core.Direction;
import com.agentcostcontrol.security.core.Policy;

import io.vertx.core.Future;

/**
 * Filter {@code pre-call-scan}: scans the request's text against the tenant's policy before anything
 * leaves or is reserved. Block: 400 {@code security_policy_violation} naming the detector and where
 * (never the text); redact: the body sent upstream carries {@code [REDACTED:<detector>]}; flag: the
 * call goes on and the usage event records it. Runs before budget-reserve, so a blocked call costs nothing.
 */
@ApplicationScoped
public class PromptScanner implements Hooks.PreCallScanner {

    public static final String CODE = "security_policy_violation";

    private final SecurityPolicies policies;
    private final CallScanner scanner;

    public PromptScanner(SecurityPolicies policies, CallScanner scanner) {
        this.policies = policies;
        this.scanner = scanner;
    }

    @Override
    public Future<Void> scan(LlmCall call) {
        Policy policy = policies.forTenant(call.key == null ? null : call.key.tenantId());
        return scanner.scan(call, call.body, TextSlots.REQUEST_ROOTS, policy, Direction.PROMPT).compose(v -> {
            if (v.blocking == null) {
                return Future.succeededFuture();
            }
            return Future.failedFuture(new Refusal(400, CODE, "Blocked by security policy: detector " + v.blocking.detector()
                    + " (" + v.blocking.category().id() + ") found in " + v.blocking.path() + ". Remove it from the request,"
                    + " or ask a tenant admin to change the policy (PUT /v1/security/policy)."));
        });
    }
}
