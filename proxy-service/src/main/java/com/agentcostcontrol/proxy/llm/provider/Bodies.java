package com.agentcostcontrol.proxy.llm.provider;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** Reads a paused body stream whole, with a size cap (for non-streaming answers and error bodies). */
public final class Bodies {

    private Bodies() {
    }

    public static Future<Buffer> collect(ReadStream<Buffer> stream, int maxBytes) {
        Promise<Buffer> promise = Promise.promise();
        Buffer acc = Buffer.buffer();
        stream.exceptionHandler(promise::tryFail);
        stream.handler(chunk -> {
            if (acc.length() + chunk.length() > maxBytes) {
                promise.tryFail(new IllegalStateException("upstream body larger than " + maxBytes + " bytes"));
                return;
            }
            acc.appendBuffer(chunk);
        });
        stream.endHandler(v -> promise.tryComplete(acc));
        stream.resume();
        return promise.future();
    }
}
