package io.tradergateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RollingFileAppender} for {@code immediateFlush=false}: lines are buffered ({@code bufferSize}, 8 KB by
 * default) and the buffer is written when it fills, at stop, at once after a WARN or ERROR line, and at the latest
 * {@code flushPeriodMillis} (1000 by default) after a line, so a quiet log does not keep its last lines in memory.
 */
public class BufferedRollingFileAppender extends RollingFileAppender<ILoggingEvent> {
    private int flushPeriodMillis = 1000;
    private volatile boolean unflushed;
    private ScheduledFuture<?> flusher;

    public void setFlushPeriodMillis(int millis) {
        this.flushPeriodMillis = millis;
    }

    @Override
    public void start() {
        super.start();
        if (isStarted() && !isImmediateFlush() && flushPeriodMillis > 0) {
            flusher = getContext().getScheduledExecutorService().scheduleWithFixedDelay(() -> {
                if (unflushed) flush();
            }, flushPeriodMillis, flushPeriodMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        if (flusher != null) flusher.cancel(false);
        super.stop();
    }

    @Override
    protected void subAppend(ILoggingEvent event) {
        super.subAppend(event);
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) flush();
        else unflushed = true;
    }

    private void flush() {
        streamWriteLock.lock();
        try {
            unflushed = false;
            OutputStream out = getOutputStream();
            if (isStarted() && out != null) out.flush();
        } catch (IOException e) {
            addError("cannot flush " + getFile(), e);
        } finally {
            streamWriteLock.unlock();
        }
    }
}
