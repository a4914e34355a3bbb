package com.agentcostcontrol.budget.service;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * What a webhook URL may be: absolute {@code http}/{@code https} with a host, no credentials, no fragment,
 * and (unless private networks are allowed) no host that resolves to a loopback, private, link-local,
 * unique-local, wildcard or multicast address, so a tenant cannot point budget-service at an internal
 * service or a cloud metadata endpoint. Checked when the webhook is set and again before every attempt
 * (the name may resolve elsewhere later).
 */
public final class WebhookUrls {

    public static final int MAX_LENGTH = 2000;

    private WebhookUrls() {
    }

    /**
     * @return the parsed URL
     * @throws IllegalArgumentException with a message fit for the caller
     */
    public static URI check(String url, boolean allowPrivateNetworks) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is required, e.g. \"https://example.com/acc-alerts\"");
        }
        if (url.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("url must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("url must be an absolute http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("url must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url must not contain credentials; the signature header authenticates ACC to you");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("url must not contain a fragment");
        }
        if (!allowPrivateNetworks) {
            checkPublic(uri.getHost());
        }
        return uri;
    }

    private static void checkPublic(String host) {
        InetAddress[] addresses;
        try {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("url host " + host + " cannot be resolved");
        }
        for (InetAddress a : addresses) {
            if (isPrivate(a)) {
                throw new IllegalArgumentException("url host " + host + " resolves to a private or local address ("
                        + a.getHostAddress() + "); webhooks go to public addresses only");
            }
        }
    }

    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        // 100.64.0.0/10 carrier-grade NAT, 0.0.0.0/8
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 || b[0] == 0;
    }
}
