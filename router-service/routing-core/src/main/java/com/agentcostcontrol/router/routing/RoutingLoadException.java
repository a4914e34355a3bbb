package com.agentcostcontrol.router.routing;

/** The routing tables could not be read; the holder keeps its last good snapshot. */
public class RoutingLoadException extends Exception {

    public RoutingLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
