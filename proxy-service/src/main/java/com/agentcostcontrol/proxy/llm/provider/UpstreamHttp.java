package com.agentcostcontrol.proxy.llm.provider;

import java.util.Map;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.config.ProxyConfig;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The one non-blocking HTTP client to every upstream: keep-alive connections pooled per host,
 * TLS for https URLs, no response decompression (SSE is parsed as it arrives).
 */
@ApplicationScoped
public class UpstreamHttp {

    private final HttpClient client;
    private final int connectTimeoutMs;

    public UpstreamHttp(Vertx vertx, ProxyConfig config) {
        ProxyConfig.Llm llm = config.llm();
        this.connectTimeoutMs = (int) llm.connectTimeout().toMillis();
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) llm.keepAliveTimeout().toSeconds())
                .setPipelining(false)
                .setTcpNoDelay(true)
                .setConnectTimeout(connectTimeoutMs)
                .setDecompressionSupported(false)
                .setMaxWaitQueueSize(-1);
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(llm.maxConnectionsPerHost());
        this.client = vertx.createHttpClient(options, pool);
    }

    /**
     * POSTs {@code body} to {@code url}. The returned response is paused; {@code cancel} resets the
     * exchange (which closes an HTTP/1.1 connection, stopping the upstream's generation).
     *
     * @param idleTimeoutMs longest wait for the status and between two body chunks
     */
    public Future<UpstreamResponse> post(String url, Map<String, String> headers, Buffer body, boolean stream,
            int idleTimeoutMs, Consumer<Runnable> onCancellable) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setConnectTimeout(connectTimeoutMs)
                .setIdleTimeout(idleTimeoutMs);
        options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        options.putHeader(HttpHeaders.ACCEPT, stream ? "text/event-stream" : "application/json");
        headers.forEach(options::putHeader);
        return client.request(options).compose(request -> {
            onCancellable.accept(() -> request.reset());
            // Pause in the same callback that delivers the response: one event-loop hop later a small body
            // may already have ended, and a handler set then would never fire.
            return request.send(body).map(response -> {
                response.pause();
                return new UpstreamResponse(response.statusCode(), response.headers(), response, () -> request.reset());
            });
        });
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
