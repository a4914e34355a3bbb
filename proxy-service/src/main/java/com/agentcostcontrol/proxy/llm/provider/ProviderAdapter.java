package com.agentcostcontrol.proxy.llm.provider;

import java.util.Set;

import com.agentcostcontrol.proxy.llm.ApiFormat;

import io.vertx.core.Future;

/**
 * One kind of upstream. Adapters know URLs, credentials and headers of their providers; they do
 * not translate formats (the pipeline does that, with llm-translate) and do not retry (the
 * upstream filter walks the route plan).
 */
public interface ProviderAdapter {

    /** The {@code deployments.provider} values this adapter serves. */
    Set<String> providers();

    /** The wire format this upstream speaks for a call arriving in {@code inbound} format. */
    ApiFormat format(ApiFormat inbound);

    /** Whether this upstream can do {@code operation} at all (count_tokens may be answered locally instead). */
    boolean supports(Operation operation);

    /**
     * Sends one attempt. The future fails on a connect error or timeout before a status arrived;
     * otherwise it completes with the status, headers and the paused body.
     */
    Future<UpstreamResponse> send(UpstreamRequest request);
}
