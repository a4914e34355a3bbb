package com.agentcostcontrol.proxy.rest;

import java.util.Optional;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.agentcostcontrol.platform.error.ApiError;
import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.proxy.client.OwnerForwarder;
import com.agentcostcontrol.proxy.security.ManagementAccess;
import com.agentcostcontrol.proxy.security.Refusal;
import com.agentcostcontrol.proxy.service.ForwardingTable;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The management paths other services own ({@link ForwardingTable}): authenticate the caller at the
 * edge (lazily, as the proxy does not authenticate proactively), check the path family's rule
 * (operator-only {@code /admin/v1/...}, tenant members on {@code /v1/...}, nobody for the Stripe
 * webhook), then hand the still-unread request to {@link OwnerForwarder}.
 */
@ApplicationScoped
public class ManagementForwardingRoutes {

    /** Vert.x context key the HTTP metrics read the URI template from (keeps metric tags bounded). */
    private static final String URL_TEMPLATE_KEY = "UrlPathTemplate";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OwnerForwarder forwarder;
    private final IdentityProviderManager identityProviderManager;

    public ManagementForwardingRoutes(OwnerForwarder forwarder, IdentityProviderManager identityProviderManager) {
        this.forwarder = forwarder;
        this.identityProviderManager = identityProviderManager;
    }

    void register(@Observes Router router) {
        router.routeWithRegex(ForwardingTable.ROUTE_REGEX).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        Optional<ForwardingTable.Rule> match = ForwardingTable.resolve(rc.normalizedPath());
        if (match.isEmpty()) {
            rc.next();
            return;
        }
        ForwardingTable.Rule rule = match.get();
        // Nothing may read the body before it is streamed to the owner.
        rc.request().pause();
        Context context = Vertx.currentContext();
        if (context != null) {
            context.putLocal(URL_TEMPLATE_KEY,
                    rc.normalizedPath().equals(rule.prefix()) ? rule.prefix() : rule.prefix() + "/{path}");
        }
        if (rule.access() == ForwardingTable.Access.PUBLIC) {
            forwarder.forward(rc, rule.owner(), null);
            return;
        }
        // Quarkus would answer a failed deferred authentication with a bare challenge; this route
        // answers it itself, in the management envelope (see refuse).
        rc.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (ctx, failure) -> {
        });
        QuarkusHttpUser.getSecurityIdentity(rc, identityProviderManager)
                .emitOn(command -> {
                    if (context == null) {
                        command.run();
                    } else {
                        context.runOnContext(v -> command.run());
                    }
                })
                .subscribe().with(identity -> authorised(rc, rule, identity), failure -> refuse(rc, failure));
    }

    private void authorised(RoutingContext rc, ForwardingTable.Rule rule, SecurityIdentity identity) {
        CallerIdentity caller;
        try {
            caller = ManagementAccess.caller(identity);
            if (rule.access() == ForwardingTable.Access.OPERATOR) {
                ManagementAccess.requireOperator(caller);
            }
        } catch (ApiException e) {
            answer(rc, e.status(), e.type(), e.getMessage());
            return;
        }
        forwarder.forward(rc, rule.owner(), caller);
    }

    private void refuse(RoutingContext rc, Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof AuthenticationFailedException)) {
            cause = cause.getCause();
        }
        Refusal refusal = cause != null ? Refusal.of((AuthenticationFailedException) cause)
                : new Refusal(503, "service_unavailable", "The credential could not be checked right now; retry in "
                        + OwnerForwarder.UNAVAILABLE_RETRY_AFTER_SECONDS + " s.");
        if (refusal.status() == 401 && !rc.response().headWritten()) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"acc\"");
        }
        if (refusal.status() == 503 && !rc.response().headWritten()) {
            rc.response().putHeader("Retry-After", Long.toString(OwnerForwarder.UNAVAILABLE_RETRY_AFTER_SECONDS));
        }
        answer(rc, refusal.status(), refusal.type(), refusal.message());
    }

    private static void answer(RoutingContext rc, int status, String type, String message) {
        rc.request().resume();
        if (rc.response().headWritten() || rc.response().closed()) {
            return;
        }
        String body;
        try {
            body = JSON.writeValueAsString(ApiError.body(type, message, null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
