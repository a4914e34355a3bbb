package com.agentcostcontrol.proxy.llm.pipeline.filters;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;

import io.vertx.core.Future;

/**
 * Filter 10, {@code post-call-scan}: scans a non-streaming answer through
 * {@link Hooks.PostCallScanner} before it is relayed (pass-through until the security issue
 * provides one). Streams are not buffered for it. Fail-closed.
 */
@ApplicationScoped
public class PostCallScanFilter implements CallFilter {

    private final Hooks.PostCallScanner scanner;

    public PostCallScanFilter(Hooks.PostCallScanner scanner) {
        this.scanner = scanner;
    }

    @Override
    public String name() {
        return "post-call-scan";
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
        return call.stream ? Future.succeededFuture() : scanner.scan(call);
    }
}
