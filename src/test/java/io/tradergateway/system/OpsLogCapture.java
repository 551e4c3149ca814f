package io.tradergateway.system;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Captures what the ops log ({@code io.tradergateway.ops}) says while it is open, for tests that assert on the lines a
 * developer follows an order by, DEBUG lines included (the logger is at DEBUG while it captures; logback-test.xml keeps
 * them off the console). Attached programmatically; {@link #close} detaches it and puts the level back.
 */
public final class OpsLogCapture implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.tradergateway.ops");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level level = logger.getLevel();

    private OpsLogCapture() {
        appender.setName("ops-log-capture");
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    public static OpsLogCapture start() {
        return new OpsLogCapture();
    }

    /** The formatted lines so far, in order. */
    public List<String> lines() {
        // AppenderBase.doAppend holds the appender's lock while it adds.
        synchronized (appender) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The lines so far at {@code least} or above (INFO: what the shipped configuration writes), in order. */
    public List<String> lines(Level least) {
        synchronized (appender) {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(least))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The lines so far that contain every one of {@code parts}. */
    public List<String> linesWith(String... parts) {
        return lines().stream().filter(line -> List.of(parts).stream().allMatch(line::contains)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
        appender.stop();
    }
}
