package com.agentcostcontrol.proxy.llm.provider.mock;

import java.io.IOException;
import java.util.List;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The mock provider's body: pre-built chunks emitted on the caller's event loop, honouring
 * pause/resume (so relay back-pressure is exercised), an optional delay between chunks, and an
 * optional cut (an {@link IOException}, like a reset connection) after n chunks.
 */
final class MockStream implements ReadStream<Buffer> {

    private final Context context;
    private final List<Buffer> chunks;
    private final long chunkDelayMs;
    private final int cutAfter;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean paused = true;
    private boolean scheduled;
    private boolean finished;
    private int next;
    private long timerId = -1;

    MockStream(Context context, List<Buffer> chunks, long chunkDelayMs, int cutAfter) {
        this.context = context;
        this.chunks = chunks;
        this.chunkDelayMs = chunkDelayMs;
        this.cutAfter = cutAfter;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
        this.exceptionHandler = h;
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
        this.handler = h;
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        paused = true;
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        paused = false;
        schedule();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        return resume();
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
        this.endHandler = h;
        return this;
    }

    /** Stops emitting (the client went away or the call was cancelled). */
    void cancel() {
        finished = true;
        if (timerId >= 0) {
            context.owner().cancelTimer(timerId);
        }
    }

    private void schedule() {
        if (scheduled || paused || finished) {
            return;
        }
        scheduled = true;
        if (next > 0 && chunkDelayMs > 0) {
            timerId = context.owner().setTimer(chunkDelayMs, id -> {
                timerId = -1;
                scheduled = false;
                emit();
            });
        } else {
            context.runOnContext(v -> {
                scheduled = false;
                emit();
            });
        }
    }

    private void emit() {
        while (!paused && !finished) {
            if (cutAfter >= 0 && next >= cutAfter) {
                finished = true;
                if (exceptionHandler != null) {
                    exceptionHandler.handle(new IOException("mock stream cut after " + cutAfter + " chunks"));
                }
                return;
            }
            if (next >= chunks.size()) {
                finished = true;
                if (endHandler != null) {
                    endHandler.handle(null);
                }
                return;
            }
            Buffer chunk = chunks.get(next++);
            if (handler != null) {
                handler.handle(chunk);
            }
            if (chunkDelayMs > 0) {
                schedule();
                return;
            }
        }
    }
}
