package io.tradergateway.fix;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Captures QuickFIX/J's SLF4J message and event lines ({@code quickfixj.*}) at INFO while open; restores the level. */
final class FixLogCapture implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("quickfixj");
    /** The categories logback-test.xml quiets, with their levels to restore. */
    private final Map<Logger, Level> levels = new LinkedHashMap<>();
    /** Takes each event's MDC (the venue) on the logging thread: read later on the test thread, it would be the test's. */
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent e) {
            e.prepareForDeferredProcessing();
            super.append(e);
        }
    };

    FixLogCapture() {
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false); // captured, not also printed on the test console
        for (String name : List.of("quickfixj", "quickfixj.msg", "quickfixj.event")) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            levels.put(l, l.getLevel());
            l.setLevel(Level.INFO);
        }
    }

    /**
     * The gateway's lines, {@code <logger> [<venue from the MDC>] <message>} each; an in-test acceptor's lines carry no
     * venue in the MDC and are left out.
     */
    List<String> lines() {
        synchronized (appender) {
            return appender.list.stream().filter(e -> e.getMDCPropertyMap().get(WatchedLogFactory.MDC_SESSION) != null).map(e -> e.getLoggerName() + " [" + e.getMDCPropertyMap().get(WatchedLogFactory.MDC_SESSION)
                    + "] " + e.getFormattedMessage()).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        levels.forEach(Logger::setLevel);
        logger.setAdditive(true);
    }
}
