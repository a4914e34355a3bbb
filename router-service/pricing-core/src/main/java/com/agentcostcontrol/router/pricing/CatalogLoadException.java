package com.agentcostcontrol.router.pricing;

/** The price catalog could not be loaded at all (as opposed to single rows being skipped). */
public class CatalogLoadException extends Exception {

    public CatalogLoadException(String message) {
        super(message);
    }

    public CatalogLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
