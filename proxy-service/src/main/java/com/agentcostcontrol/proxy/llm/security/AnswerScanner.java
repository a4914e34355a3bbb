package com.agentcostcontrol.proxy.llm.security;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.usage.UsageExtractor;
import com.agentcostcontrol.security.core.Direction;
import com.agentcostcontrol.security.core.Policy;
import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.Future;

/**
 * Filter {@code post-call-scan}: scans a non-streaming answer (in the upstream's format) against the
 * tenant's response policy before it is relayed. Block: 400 {@code security_policy_violation} naming
 * the detector (400, not 5xx, because SDKs retry 5xx and would pay for the same blocked answer again);
 * the provider's tokens are still counted and charged, since the provider billed them. Redact: the
 * answer is rewritten before relay. Streams are not buffered, so they are not scanned here.
 */
@ApplicationScoped
public class AnswerScanner implements Hooks.PostCallScanner {

    private final SecurityPolicies policies;
    private final CallScanner scanner;

    public AnswerScanner(SecurityPolicies policies, CallScanner scanner) {
        this.policies = policies;
        this.scanner = scanner;
    }

    @Override
    public Future<Void> scan(LlmCall call) {
        if (call.upstreamBody == null || !call.endpoint.generates()) {
            return Future.succeededFuture();
        }
        Policy policy = policies.forTenant(call.key == null ? null : call.key.tenantId());
        if (policy.active(Direction.RESPONSE).isEmpty()) {
            return Future.succeededFuture();
        }
        JsonNode answer;
        try {
            answer = Json.parse(call.upstreamBody);
        } catch (IOException e) {
            return Future.succeededFuture(); // relay answers 502 for a body that is not JSON
        }
        return scanner.scan(call, answer, TextSlots.RESPONSE_ROOTS, policy, Direction.RESPONSE).compose(v -> {
            if (v.blocking != null) {
                if (call.tokens == null) {
                    call.tokens = UsageExtractor.read(call.upstreamFormat, answer.get("usage"));
                }
                return Future.failedFuture(new Refusal(400, PromptScanner.CODE, "The model's answer was blocked by"
                        + " security policy: detector " + v.blocking.detector() + " (" + v.blocking.category().id()
                        + ") found in " + v.blocking.path() + ". Nothing of the answer was sent; the provider's tokens"
                        + " are charged. Ask a tenant admin to change the response policy (PUT /v1/security/policy)."));
            }
            if (v.strongest == com.agentcostcontrol.security.core.Action.REDACT) {
                call.upstreamBody = Json.buffer(answer);
            }
            return Future.succeededFuture();
        });
    }
}
