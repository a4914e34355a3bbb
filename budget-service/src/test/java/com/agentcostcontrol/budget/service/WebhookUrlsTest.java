package com.agentcostcontrol.budget.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Webhook URLs: only absolute http(s), and no private or local addresses unless allowed. IP literals need no DNS. */
class WebhookUrlsTest {

    @Test
    void acceptsPublicHttpAndHttpsUrls() {
        assertEquals("93.184.216.34", WebhookUrls.check("https://93.184.216.34/hooks/acc?x=1", false).getHost());
        assertEquals(8443, WebhookUrls.check("http://8.8.8.8:8443/acc", false).getPort());
        assertEquals("[2606:4700:4700::1111]", WebhookUrls.check("https://[2606:4700:4700::1111]/acc", false).getHost());
    }

    @Test
    void refusesPrivateLoopbackAndMetadataAddressesUnlessAllowed() {
        for (String url : new String[] {"http://127.0.0.1:8081/v1/budgets", "http://10.1.2.3/x", "http://192.168.0.10/x",
                "http://172.16.5.4/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://[fd00::1]/x",
                "http://0.0.0.0/x", "http://100.64.1.1/x", "http://224.0.0.1/x", "http://localhost/x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookUrls.check(url, false), url);
            assertTrue(e.getMessage().contains("private or local address"), e.getMessage());
        }
        assertEquals(8081, WebhookUrls.check("http://127.0.0.1:8081/hook", true).getPort());
    }

    @Test
    void refusesMalformedUrls() {
        for (String url : new String[] {"", " ", "ftp://8.8.8.8/x", "/relative", "8.8.8.8/x", "https://user:pw@8.8.8.8/x",
                "https://8.8.8.8/x#frag", "http:///nohost", "https://exa mple.com/", "https://" + "a".repeat(2000) + ".com/"}) {
            assertThrows(IllegalArgumentException.class, () -> WebhookUrls.check(url, true), url);
        }
        assertThrows(IllegalArgumentException.class, () -> WebhookUrls.check(null, true));
    }
}
