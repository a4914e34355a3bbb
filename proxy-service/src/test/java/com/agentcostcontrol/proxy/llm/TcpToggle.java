package com.agentcostcontrol.proxy.llm;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/** A TCP forwarder that can be switched off (refusing and cutting connections) to simulate an outage. */
final class TcpToggle implements AutoCloseable {

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean enabled = true;
    private NetServer server;
    private NetClient client;

    TcpToggle(Vertx vertx, String host, int port) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
    }

    int start() throws Exception {
        client = vertx.createNetClient();
        server = vertx.createNetServer().connectHandler(in -> {
            if (!enabled) {
                in.close();
                return;
            }
            in.pause();
            client.connect(port, host).onSuccess(out -> {
                open.add(in);
                open.add(out);
                in.pipeTo(out);
                out.pipeTo(in);
                in.resume();
            }).onFailure(e -> in.close());
        });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
    }

    void disable() {
        enabled = false;
        open.forEach(NetSocket::close);
        open.clear();
    }

    void enable() {
        enabled = true;
    }

    @Override
    public void close() {
        disable();
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
