package io.tradergateway.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Logback's {@link AsyncAppender} (lines queued, written by one worker thread, in the order they were logged), except
 * that a WARN or ERROR line returns to its caller only once the appenders behind the queue have written it (a
 * {@link BufferedRollingFileAppender} flushes it to the file at once), so a crash right after it (a {@code kill -9})
 * cannot lose it. It goes through the same queue, so the file keeps the order the lines were logged in; the caller
 * waits for the lines queued before it too, at most {@code urgentWaitMillis} (1000 by default; then it goes on and the
 * line is written when its turn comes).
 */
public class AsyncLogAppender extends AsyncAppender {
    /** The WARN and ERROR lines on their way, and what their callers wait on. Identity keys: events do not override equals. */
    private final Map<ILoggingEvent, CountDownLatch> urgent = new ConcurrentHashMap<>();
    private int urgentWaitMillis = 1000;

    public void setUrgentWaitMillis(int millis) {
        this.urgentWaitMillis = millis;
    }

    @Override
    public void start() {
        if (isStarted()) return;
        // Attached after the configured appenders: the worker hands it each line once they have written it.
        UnsynchronizedAppenderBase<ILoggingEvent> written = new UnsynchronizedAppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                CountDownLatch waiting = urgent.remove(event);
                if (waiting != null) waiting.countDown();
            }
        };
        written.setContext(getContext());
        written.setName(getName() + "-written");
        written.start();
        addAppender(written);
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
            super.append(event);
            return;
        }
        CountDownLatch written = new CountDownLatch(1);
        urgent.put(event, written);
        super.append(event);
        try {
            if (!written.await(urgentWaitMillis, TimeUnit.MILLISECONDS)) urgent.remove(event);
        } catch (InterruptedException e) {
            urgent.remove(event);
            Thread.currentThread().interrupt();
        }
    }
}
