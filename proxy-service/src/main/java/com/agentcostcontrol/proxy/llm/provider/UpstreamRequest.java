package com.agentcostcontrol.proxy.llm.provider;

import java.util.function.Consumer;

import java.util.Map;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.provider.mock.MockDirectives;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One attempt at one deployment.
 *
 * @param format  the wire format of {@code body} (the adapter's upstream format for this call)
 * @param body    the request in that format, {@code model} already set to the deployment's model
 * @param headers client headers that are safe and meaningful to forward (anthropic-version,
 *                anthropic-beta); never the client's credential
 * @param mock    directives for the built-in mock provider (ignored by real providers)
 * @param onCancellable receives, as soon as the HTTP request exists (before any answer), the action that
 *                aborts it: a client that hangs up while the provider is still thinking stops the
 *                provider (and frees the call's concurrency slot) instead of waiting for its answer
 */
public record UpstreamRequest(
        UpstreamTarget target,
        Operation operation,
        ApiFormat format,
        ObjectNode body,
        boolean stream,
        Map<String, String> headers,
        MockDirectives mock,
        Consumer<Runnable> onCancellable) {
}
