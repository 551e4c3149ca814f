package io.tradergateway.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** Points Logback's files at the log folder in force ({@code logback.xml} reads it from {@link Main#LOG_DIR_PROPERTY}). */
final class LogSetup {
    private LogSetup() {
    }

    /**
     * Makes sure Logback writes where {@code trader.log.dir} now says. When nothing has logged yet this is what the first
     * configuration reads; when Logback is already running with another folder ({@code LOG_DIR} in its context), it is
     * configured again from the same file.
     */
    static void reconfigureIfStarted() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext ctx)) return;
        String current = ctx.getProperty("LOG_DIR");
        String wanted = System.getProperty(Main.LOG_DIR_PROPERTY);
        if (current == null || wanted == null || current.equals(wanted)) return;
        ctx.reset();
        try {
            new ContextInitializer(ctx).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging for the log folder " + wanted + ": " + e.getMessage(), e);
        }
        LoggerFactory.getLogger(LogSetup.class).info("logs now in {} (was {})", wanted, current);
    }
}
