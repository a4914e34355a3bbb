package com.agentcostcontrol.platform.logging;

import java.util.logging.Handler;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.annotation.Priority;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.formatters.JsonFormatter;

import io.quarkus.runtime.StartupEvent;

/**
 * With {@code ACC_LOG_JSON=true}, every console log record is written as one JSON object per
 * line (timestamp, level, logger, message, thread, exception, MDC), for log shippers.
 * Uses JBoss LogManager's own JSON formatter: the quarkus-logging-json extension is not
 * available from our Maven repository. Switches as early as CDI allows (first startup observer).
 */
@ApplicationScoped
public class JsonLogSwitch {

    void onStart(@Observes @Priority(1) StartupEvent event,
            @ConfigProperty(name = "acc.log.json", defaultValue = "false") boolean json) {
        if (json) {
            apply();
        }
    }

    /** Replaces the formatter of every console handler on the root logger. */
    public static void apply() {
        JsonFormatter formatter = new JsonFormatter();
        formatter.setPrettyPrint(false);
        formatter.setPrintDetails(false);
        formatter.setExceptionOutputType(JsonFormatter.ExceptionOutputType.FORMATTED);
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            replaceIn(handler, formatter);
        }
    }

    private static void replaceIn(Handler handler, JsonFormatter formatter) {
        if (handler instanceof org.jboss.logmanager.ExtHandler ext) {
            for (Handler child : ext.getHandlers()) {
                replaceIn(child, formatter);
            }
        }
        if (handler instanceof org.jboss.logmanager.handlers.ConsoleHandler) {
            handler.setFormatter(formatter);
        }
    }
}
