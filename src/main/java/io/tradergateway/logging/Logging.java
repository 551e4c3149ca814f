package io.tradergateway.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** The end of a process's logging. */
public final class Logging {
    private Logging() {
    }

    /**
     * Stops Logback: the asynchronous appenders write what is queued (up to their {@code maxFlushTime}) and the files
     * write their buffers. The last thing a clean stop does; a line logged after it is lost.
     */
    public static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) ctx.stop();
    }
}
