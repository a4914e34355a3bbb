package com.agentcostcontrol.budget.service;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.jboss.logging.Logger;

import com.agentcostcontrol.platform.error.ApiException;

/** Waits for a budget-engine call from a worker thread; Redis trouble becomes a 503 the caller can retry. */
final class RedisCalls {

    private static final Logger LOG = Logger.getLogger(RedisCalls.class);

    private RedisCalls() {
    }

    static <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, e);
        } catch (ExecutionException | CompletionException e) {
            throw unavailable(what, e.getCause() == null ? e : e.getCause());
        }
    }

    private static ApiException unavailable(String what, Throwable cause) {
        LOG.warnf("budget counters unavailable while trying to %s: %s", what, cause.toString());
        return new ApiException(503, "unavailable",
                "budget counters (Redis) are unavailable, could not " + what + "; retry shortly", null);
    }
}
