package com.agentcostcontrol.proxy.llm.pipeline.filters;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.AuthenticatedKey;
import com.agentcostcontrol.proxy.KeyCheck;
import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.service.KeyAuthenticator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * Filter 1, {@code authenticate}: the virtual key from {@code Authorization: Bearer} or
 * {@code x-api-key}, checked against the in-process key cache (a miss reads Postgres on a worker).
 * 401 unknown/revoked/expired key, 402 suspended tenant, 403 key without scope {@code llm}.
 * Fail-closed: a key that cannot be checked is not trusted.
 */
@ApplicationScoped
public class AuthenticateFilter implements CallFilter {

    private final KeyAuthenticator authenticator;

    public AuthenticateFilter(KeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public String name() {
        return "authenticate";
    }

    @Override
    public boolean needsBody() {
        return false;
    }

    @Override
    public FailurePolicy onFailure() {
        return FailurePolicy.FAIL_CLOSED;
    }

    @Override
    public Future<Void> apply(LlmCall call) {
        String presented = presentedKey(call.exchange.request());
        if (presented == null) {
            return Future.failedFuture(new Refusal(401, "missing_api_key",
                    "Missing API key: send it as 'Authorization: Bearer sk-acc-...' or 'x-api-key: sk-acc-...'."));
        }
        Context context = Vertx.currentContext();
        Promise<Void> promise = Promise.promise();
        authenticator.check(presented).subscribe().with(
                check -> onContext(context, () -> decide(call, check, promise)),
                failure -> onContext(context, () -> promise.fail(failure)));
        return promise.future();
    }

    private static void decide(LlmCall call, KeyCheck check, Promise<Void> promise) {
        if (check instanceof KeyCheck.Refused refused) {
            promise.fail(new Refusal(refused.status(), refused.code(), refused.message()));
            return;
        }
        AuthenticatedKey key = ((KeyCheck.Accepted) check).key();
        call.key = key;
        if (!key.hasScope(AuthenticatedKey.SCOPE_LLM)) {
            promise.fail(new Refusal(403, "missing_scope",
                    "This key lacks scope 'llm' and cannot call models; use a key issued with scopes [\"llm\"]."));
            return;
        }
        promise.complete();
    }

    /** A cache miss completes on a worker thread: hop back to the request's event loop. */
    private static void onContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    static String presentedKey(HttpServerRequest request) {
        String auth = request.getHeader("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = auth.substring(7).trim();
            if (!key.isEmpty()) {
                return key;
            }
        }
        String apiKey = request.getHeader("x-api-key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }
}
