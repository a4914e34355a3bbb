package com.agentcostcontrol.platform.identity;

/** A forwarded identity that is missing, malformed, forged or expired. */
public class InvalidIdentityException extends RuntimeException {
    public InvalidIdentityException(String message) {
        super(message);
    }
}
