package com.agentcostcontrol.proxy.llm.provider;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A provider's answer as soon as its status and headers are known. The body is a paused
 * {@link ReadStream} so a stream is relayed chunk by chunk, never buffered whole.
 *
 * @param body   the body, paused; set handlers then resume (or read it whole with {@link Bodies#collect})
 * @param cancel aborts the upstream exchange (closes the connection / stops the mock); idempotent
 */
public record UpstreamResponse(int status, MultiMap headers, ReadStream<Buffer> body, Runnable cancel) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public String header(String name) {
        return headers == null ? null : headers.get(name);
    }
}
