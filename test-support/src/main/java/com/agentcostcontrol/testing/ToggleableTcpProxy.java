package com.agentcostcontrol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder between a service under test and one of its dependencies (Postgres, Redis),
 * so a test can simulate the dependency going away and coming back without stopping the real,
 * shared server. Listens on a free port of 127.0.0.1 and forwards every connection to the target.
 * {@link #disable()} closes every live connection and from then on closes each new connection as
 * soon as it is accepted (the client sees its connection dropped); {@link #enable()} forwards again.
 * The listening port stays the same for the proxy's whole life.
 */
public final class ToggleableTcpProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int BUFFER = 16 * 1024;

    private final String name;
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean enabled = true;
    private volatile boolean closed;

    private ToggleableTcpProxy(String name, String targetHost, int targetPort) throws IOException {
        this.name = name;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy forwarding to {@code targetHost:targetPort}.
     *
     * @param name a label for thread names and messages, e.g. {@code postgres}
     */
    public static ToggleableTcpProxy start(String name, String targetHost, int targetPort) {
        try {
            return new ToggleableTcpProxy(name, targetHost, targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a local port for the " + name + " proxy", e);
        }
    }

    /** The local port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** The local address clients connect to, always the loopback address. */
    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    public String name() {
        return name;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Connections accepted since start, forwarded or not. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Connections dropped at accept time because the proxy was disabled. */
    public long droppedConnections() {
        return dropped.get();
    }

    /** Cuts the dependency off: closes all live connections and drops new ones until {@link #enable()}. */
    public void disable() {
        enabled = false;
        closeAllLive();
    }

    /** Forwards new connections again. */
    public void enable() {
        enabled = true;
    }

    @Override
    public void close() {
        closed = true;
        enabled = false;
        closeQuietly(server);
        closeAllLive();
    }

    @Override
    public String toString() {
        return "ToggleableTcpProxy[" + name + " " + host() + ":" + port() + " -> " + targetHost + ":" + targetPort
                + (enabled ? "" : " (disabled)") + "]";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            accepted.incrementAndGet();
            if (!enabled) {
                dropped.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            Thread t = new Thread(() -> bridge(client), "tcp-proxy-" + name + "-up");
            t.setDaemon(true);
            t.start();
        }
    }

    private void bridge(Socket client) {
        Socket upstream = new Socket();
        live.add(client);
        live.add(upstream);
        try {
            upstream.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MS);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closePair(client, upstream);
            return;
        }
        // disable() may have run between accept and here; its sweep could have missed this pair.
        if (!enabled) {
            closePair(client, upstream);
            return;
        }
        Thread down = new Thread(() -> pump(upstream, client), "tcp-proxy-" + name + "-down");
        down.setDaemon(true);
        down.start();
        pump(client, upstream);
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // A closed side ends the pair; nothing to report.
        } finally {
            closePair(from, to);
        }
    }

    private void closePair(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
        live.remove(a);
        live.remove(b);
    }

    private void closeAllLive() {
        for (Socket s : live) {
            closeQuietly(s);
        }
        live.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
