package com.agentcostcontrol.proxy.client;

import java.net.ConnectException;
import java.net.URI;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.platform.error.ApiError;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.IdentityCodec;
import com.agentcostcontrol.proxy.OwnerService;
import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;

/**
 * Forwards a management call to the service that owns its path, streaming the request body up and
 * the answer down without buffering either (a Stripe webhook's bytes arrive untouched, an export
 * streams). It is a reverse proxy rather than a typed REST client, so it uses Vert.x's non-blocking
 * HTTP client directly; an owner that is down or silent gets a 503 naming it, and the LLM path
 * never comes here.
 * <p>
 * The caller's identity travels signed in {@code X-ACC-Identity}; the client's own credentials
 * ({@code Authorization}, {@code x-api-key}, cookies) and any {@code X-ACC-Identity} it sent are
 * never passed on.
 */
@ApplicationScoped
public class OwnerForwarder {

    private static final Logger LOG = Logger.getLogger(OwnerForwarder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Retry-After of a 503 for an owner (or the credential check) that is unavailable: a restart takes seconds. */
    public static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

    /** Hop-by-hop headers (RFC 9110 §7.6.1) plus the ones the proxy sets itself. */
    private static final Set<String> NOT_FORWARDED_UP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "expect", "authorization", "x-api-key", "cookie", IdentityCodec.HEADER.toLowerCase(Locale.ROOT));
    private static final Set<String> NOT_FORWARDED_DOWN = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade");

    private record Target(String scheme, String host, int port, String basePath) {
    }

    private final HttpClient client;
    private final IdentityCodec codec;
    private final MeterRegistry registry;
    private final Map<OwnerService, Target> targets = new EnumMap<>(OwnerService.class);
    private final long connectTimeoutMs;
    private final long responseTimeoutMs;

    public OwnerForwarder(Vertx vertx, ProxyConfig config, IdentityCodec codec, MeterRegistry registry) {
        this.codec = codec;
        this.registry = registry;
        this.connectTimeoutMs = config.forwarding().connectTimeout().toMillis();
        this.responseTimeoutMs = config.forwarding().responseTimeout().toMillis();
        ProxyConfig.Services s = config.services();
        targets.put(OwnerService.BUDGET, target(s.budgetUrl(), "acc.proxy.services.budget-url"));
        targets.put(OwnerService.ROUTER, target(s.routerUrl(), "acc.proxy.services.router-url"));
        targets.put(OwnerService.SECURITY, target(s.securityUrl(), "acc.proxy.services.security-url"));
        targets.put(OwnerService.ANALYTICS, target(s.analyticsUrl(), "acc.proxy.services.analytics-url"));
        targets.put(OwnerService.BILLING, target(s.billingUrl(), "acc.proxy.services.billing-url"));
        targets.put(OwnerService.GATEWAY, target(s.gatewayUrl(), "acc.proxy.services.gateway-url"));
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) connectTimeoutMs)
                .setMaxPoolSize(config.forwarding().maxConnectionsPerOwner())
                .setKeepAlive(true)
                // Bytes pass through as the owner sent them (compressed or not).
                .setDecompressionSupported(false));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Forwards the (paused) request to {@code owner}. {@code caller} is null only for paths the
     * owner authenticates itself (the Stripe webhook).
     */
    public void forward(RoutingContext rc, OwnerService owner, CallerIdentity caller) {
        HttpServerRequest in = rc.request();
        Target target = targets.get(owner);
        String query = in.query();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(target.host()).setPort(target.port()).setSsl("https".equals(target.scheme()))
                // The normalised path is what was authorised, so it is what the owner gets.
                .setURI(target.basePath() + rc.normalizedPath() + (query == null ? "" : "?" + query))
                .setConnectTimeout(connectTimeoutMs)
                .setIdleTimeout(responseTimeoutMs)
                .setHeaders(upstreamHeaders(in, caller));
        if ("100-continue".equalsIgnoreCase(in.getHeader(HttpHeaders.EXPECT))) {
            // The caller was accepted: let the client send its body now (it is streamed, not buffered).
            rc.response().writeContinue();
        }
        Timer.Sample sample = Timer.start(registry);
        boolean hasBody = in.headers().contains(HttpHeaders.CONTENT_LENGTH)
                || in.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        client.request(options)
                .compose(req -> {
                    if (!hasBody) {
                        in.resume();
                        return req.send();
                    }
                    if (!in.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                        req.setChunked(true);
                    }
                    return req.send(in);
                })
                .onSuccess(resp -> relay(rc, owner, resp, sample))
                .onFailure(e -> unavailable(rc, owner, e, sample));
    }

    private MultiMap upstreamHeaders(HttpServerRequest in, CallerIdentity caller) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        in.headers().forEach(h -> {
            if (!NOT_FORWARDED_UP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(h.getKey(), h.getValue());
            }
        });
        if (caller != null) {
            headers.set(IdentityCodec.HEADER, codec.sign(caller));
        }
        String remote = in.remoteAddress() == null ? null : in.remoteAddress().hostAddress();
        if (remote != null) {
            String prior = in.getHeader("X-Forwarded-For");
            headers.set("X-Forwarded-For", prior == null ? remote : prior + ", " + remote);
        }
        headers.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
        if (in.authority() != null) {
            headers.set("X-Forwarded-Host", in.authority().toString());
        }
        return headers;
    }

    private void relay(RoutingContext rc, OwnerService owner, HttpClientResponse resp, Timer.Sample sample) {
        HttpServerResponse out = rc.response();
        if (out.closed() || out.ended()) {
            resp.request().reset();
            return;
        }
        out.setStatusCode(resp.statusCode());
        if (resp.statusMessage() != null) {
            out.setStatusMessage(resp.statusMessage());
        }
        resp.headers().forEach(h -> {
            if (!NOT_FORWARDED_DOWN.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                out.headers().add(h.getKey(), h.getValue());
            }
        });
        boolean bodyless = resp.statusCode() == 204 || resp.statusCode() == 304 || rc.request().method() == HttpMethod.HEAD;
        if (!bodyless && !resp.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            out.setChunked(true);
        }
        // A client that goes away mid-answer closes the upstream exchange too.
        out.closeHandler(v -> resp.request().reset());
        resp.pipe().endOnFailure(false).to(out).onComplete(done -> {
            sample.stop(registry.timer("acc.proxy.forward.requests", "owner", owner.serviceName(),
                    "status", String.valueOf(resp.statusCode())));
            if (done.failed()) {
                // Headers are gone already; cutting the connection is the only honest signal left.
                registry.counter("acc.proxy.forward.failures", "owner", owner.serviceName(), "reason", "interrupted")
                        .increment();
                LOG.debugf("forwarding to %s broke off mid-answer: %s", owner.serviceName(), reason(done.cause()));
                if (!out.ended()) {
                    out.reset();
                }
            }
        });
    }

    private void unavailable(RoutingContext rc, OwnerService owner, Throwable e, Timer.Sample sample) {
        String reason = reason(e);
        registry.counter("acc.proxy.forward.failures", "owner", owner.serviceName(), "reason", reasonTag(e)).increment();
        sample.stop(registry.timer("acc.proxy.forward.requests", "owner", owner.serviceName(), "status", "503"));
        LOG.warnf("%s is unavailable for %s %s: %s", owner.serviceName(), rc.request().method(), rc.normalizedPath(),
                reason);
        HttpServerResponse out = rc.response();
        rc.request().resume();
        if (out.headWritten() || out.closed()) {
            if (!out.ended() && !out.closed()) {
                out.reset();
            }
            return;
        }
        out.setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Retry-After", Long.toString(UNAVAILABLE_RETRY_AFTER_SECONDS))
                .end(json(ApiError.body("service_unavailable",
                        owner.serviceName() + " is unavailable: " + reason + "; retry in " + UNAVAILABLE_RETRY_AFTER_SECONDS
                                + " s", null)));
    }

    private String reason(Throwable e) {
        return switch (reasonTag(e)) {
            case "connect_timeout" -> "no connection within " + connectTimeoutMs + " ms";
            case "timeout" -> "no answer within " + responseTimeoutMs + " ms";
            case "refused" -> "connection refused";
            case "closed" -> "connection closed before it answered";
            default -> "forwarding failed (" + e.getClass().getSimpleName() + ")";
        };
    }

    private static String reasonTag(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectTimeoutException) {
                return "connect_timeout";
            }
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return "timeout";
            }
            if (t instanceof ConnectException) {
                return "refused";
            }
            String m = t.getMessage();
            if (m != null && (m.contains("Connection was closed") || m.contains("Connection reset"))) {
                return "closed";
            }
        }
        return "error";
    }

    static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Target target(String url, String key) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " is not a URL: " + url, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(key + " must be an http(s) URL such as http://127.0.0.1:8081, got " + url);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new Target(scheme, uri.getHost(), port, path);
    }
}
