package com.agentcostcontrol.platform.identity;

/** The caller is known but may not do this; services map it to 403 (or 404 to hide existence). */
public class AccessDeniedException extends RuntimeException {
    public AccessDeniedException(String message) {
        super(message);
    }
}
