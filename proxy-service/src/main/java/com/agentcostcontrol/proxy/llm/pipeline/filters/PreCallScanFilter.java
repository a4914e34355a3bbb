package com.agentcostcontrol.proxy.llm.pipeline.filters;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;

import io.vertx.core.Future;

/**
 * Filter 6, {@code pre-call-scan}: the prompt scan through {@link Hooks.PreCallScanner}
 * (pass-through until the security issue provides one). Fail-closed: a scanner fault must not let
 * an unscanned prompt through.
 */
@ApplicationScoped
public class PreCallScanFilter implements CallFilter {

    private final Hooks.PreCallScanner scanner;

    public PreCallScanFilter(Hooks.PreCallScanner scanner) {
        this.scanner = scanner;
    }

    @Override
    public String name() {
        return "pre-call-scan";
    }

    @Override
    public boolean needsBody() {
        return true;
    }

    @Override
    public FailurePolicy onFailure() {
        return FailurePolicy.FAIL_CLOSED;
    }

    @Override
    public Future<Void> apply(LlmCall call) {
        return scanner.scan(call);
    }
}
