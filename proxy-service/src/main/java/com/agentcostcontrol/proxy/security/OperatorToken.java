package com.agentcostcontrol.proxy.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.config.ProxyConfig;

/**
 * The bootstrap operator token ({@code acc.proxy.admin-token} = {@code ACC_ADMIN_TOKEN}). Only its
 * SHA-256 is kept; presented tokens are hashed and compared with {@link MessageDigest#isEqual}, so
 * the comparison takes the same time whatever the presented token's length or content.
 */
@ApplicationScoped
public class OperatorToken {

    /** Shorter tokens still work but are called out at start-up. */
    static final int RECOMMENDED_MIN_LENGTH = 24;
    private static final Logger LOG = Logger.getLogger(OperatorToken.class);

    private final byte[] digest;

    public OperatorToken(ProxyConfig config) {
        Optional<String> token = config.adminToken().map(String::trim).filter(t -> !t.isEmpty());
        this.digest = token.map(OperatorToken::sha256).orElse(null);
        if (token.isEmpty()) {
            LOG.info("no operator token configured (ACC_ADMIN_TOKEN unset): the operator API accepts only OIDC operators");
        } else if (token.get().length() < RECOMMENDED_MIN_LENGTH) {
            LOG.warnf("the operator token (ACC_ADMIN_TOKEN) is shorter than %d characters; use a long random value",
                    RECOMMENDED_MIN_LENGTH);
        }
    }

    public boolean configured() {
        return digest != null;
    }

    /** Constant-time check of a presented token; false when no operator token is configured. */
    public boolean matches(String presented) {
        if (digest == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
