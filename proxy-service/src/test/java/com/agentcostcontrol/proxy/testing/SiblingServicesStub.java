package com.agentcostcontrol.proxy.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * One WireMock server standing in for every sibling service the proxy forwards to. Each owner's
 * base URL gets its own path prefix ({@code /budget-service}, ...), so a stub can tell which
 * owner a call was routed to. The port is fixed at start so a test can take the "owners" down
 * and bring them back on the same address.
 */
public class SiblingServicesStub implements QuarkusTestResourceLifecycleManager {

    public static final String[] OWNERS = {
            "budget-service", "router-service", "security-service", "analytics-service", "billing-service",
            "gateway-adapter" };

    private static volatile WireMockServer server;
    private static int port;

    @Override
    public Map<String, String> start() {
        port = freePort();
        server = newServer();
        server.start();
        String base = "http://127.0.0.1:" + port + "/";
        Map<String, String> config = new LinkedHashMap<>();
        config.put("acc.proxy.services.budget-url", base + "budget-service");
        config.put("acc.proxy.services.router-url", base + "router-service");
        config.put("acc.proxy.services.security-url", base + "security-service");
        config.put("acc.proxy.services.analytics-url", base + "analytics-service");
        config.put("acc.proxy.services.billing-url", base + "billing-service");
        config.put("acc.proxy.services.gateway-url", base + "gateway-adapter");
        return config;
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public static WireMockServer wireMock() {
        return server;
    }

    /** Runs {@code action} while nothing listens on the owners' address, then starts them again. */
    public static synchronized void whileDown(Runnable action) {
        server.stop();
        try {
            action.run();
        } finally {
            server = newServer();
            server.start();
        }
    }

    private static WireMockServer newServer() {
        return new WireMockServer(options().port(port).bindAddress("127.0.0.1"));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the sibling stub", e);
        }
    }
}
