package io.tradergateway.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import io.tradergateway.logging.AsyncLogAppender;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Logging as the shipped {@code logback.xml} does it, instead of the test configuration's console: the ops
 * log goes to one file and the FIX message log ({@code quickfixj.msg.*}/{@code quickfixj.event.*} at INFO) to
 * another, so the benchmark pays the file-logging cost of a real gateway (not its console copy of the ops log)
 * without flooding the Maven console. With
 * {@code quiet} the file is left out (and FIX messages are not logged through SLF4J), to see what logging
 * costs. The {@link StageClock}, if any (null: none), listens on the {@code io.tradergateway} loggers in both modes.
 * {@link #close()} puts the previous configuration back.
 */
final class BenchLogging implements AutoCloseable {
    private static final String[] FIX_LOGGERS = {"quickfixj.msg", "quickfixj.event"};

    private record Saved(Logger logger, Level level, boolean additive, List<Appender<ILoggingEvent>> appenders) {
    }

    private final List<Saved> saved = new ArrayList<>();
    private final List<Appender<ILoggingEvent>> started = new ArrayList<>();

    BenchLogging(Path logFile, boolean quiet, StageClock clock) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (clock != null) {
            clock.setContext(context);
            clock.start();
            started.add(clock);
        }
        FileAppender<ILoggingEvent> file = null;
        FileAppender<ILoggingEvent> fixFile = null;
        if (!quiet) {
            // The FILE and FIX appenders of src/main/resources/logback.xml (same patterns, plain files).
            file = fileAppender(context, "bench-file", logFile, "%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n");
            fixFile = fileAppender(context, "bench-fix", logFile.resolveSibling("fix-messages.log"), "%d{ISO8601} %logger - %msg%n");
            started.add(file);
            started.add(fixFile);
        }
        // As shipped: the logging threads only queue a line (AsyncLogAppender); one worker writes it to a buffered file.
        Appender<ILoggingEvent> fileOut = file == null ? null : queued(context, "bench-file-async", file);
        if (fileOut != null) {
            // The stage clock times steps the ops log writes at DEBUG (the send, the ack): the ops logger is at DEBUG for
            // it, and the file keeps INFO and up, as in production (filtered before the queue).
            ThresholdFilter info = new ThresholdFilter();
            info.setLevel("INFO");
            info.start();
            fileOut.addFilter(info);
        }
        Appender<ILoggingEvent> fixOut = fixFile == null ? null : queued(context, "bench-fix-async", fixFile);
        Logger gateway = context.getLogger("io.tradergateway");
        save(gateway);
        gateway.setLevel(Level.INFO);
        Logger ops = context.getLogger("io.tradergateway.ops");
        save(ops);
        ops.setLevel(clock != null ? Level.DEBUG : Level.INFO);
        gateway.setAdditive(false);
        gateway.detachAndStopAllAppenders();
        if (clock != null) gateway.addAppender(clock);
        if (fileOut != null) gateway.addAppender(fileOut);
        for (String name : FIX_LOGGERS) {
            Logger fix = context.getLogger(name);
            save(fix);
            fix.setAdditive(false);
            fix.detachAndStopAllAppenders();
            if (fixOut != null) {
                fix.setLevel(Level.INFO);
                fix.addAppender(fixOut);
            } else {
                fix.setLevel(Level.WARN);
            }
        }
    }

    /** {@code out} behind the gateway's own queue, set as logback.xml sets ASYNC_FILE and ASYNC_FIX. */
    private Appender<ILoggingEvent> queued(LoggerContext context, String name, Appender<ILoggingEvent> out) {
        AsyncLogAppender async = new AsyncLogAppender();
        async.setContext(context);
        async.setName(name);
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(false);
        async.setIncludeCallerData(false);
        async.setMaxFlushTime(10_000);
        async.addAppender(out);
        async.start();
        // Stopped first on close (it writes what is queued), before the file under it.
        started.add(0, async);
        return async;
    }

    private static FileAppender<ILoggingEvent> fileAppender(LoggerContext context, String name, Path file, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.setImmediateFlush(false);   // buffered, as the shipped BufferedRollingFileAppender
        appender.start();
        return appender;
    }

    private void save(Logger logger) {
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) appenders.add(it.next());
        saved.add(new Saved(logger, logger.getLevel(), logger.isAdditive(), appenders));
        // Detaching must not stop appenders shared with other loggers (the console): detach one by one.
        for (Appender<ILoggingEvent> a : appenders) logger.detachAppender(a);
    }

    @Override
    public void close() {
        for (Saved s : saved) {
            s.logger().detachAndStopAllAppenders();
            s.logger().setLevel(s.level());
            s.logger().setAdditive(s.additive());
            s.appenders().forEach(s.logger()::addAppender);
        }
        for (Appender<ILoggingEvent> a : started) a.stop();
    }
}
