package io.tradergateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lines queued by the logging threads and written by one worker thread, in the order they were logged, as Logback's
 * {@code AsyncAppender} does (same settings: {@code queueSize}, {@code discardingThreshold}, {@code neverBlock},
 * {@code includeCallerData}, {@code maxFlushTime}), with two differences:
 * <ul>
 *   <li><b>A line does not wake the worker.</b> Logback's worker sleeps in {@code take()}, so every line logged while
 *   it sleeps wakes it: a futex system call on the logging thread (the engine logs a few lines per plan, and waking
 *   was the largest single cost of its logging). This worker looks at the queue every {@code pollMillis} (1 ms by
 *   default; less often while it stays empty, see {@link #setIdlePollMillis}) and writes everything it finds; a
 *   logging thread only queues its line. A full queue wakes the worker
 *   before its caller waits for room.</li>
 *   <li><b>A WARN or ERROR line is written before its caller goes on</b> (when {@code urgentWaitMillis} is above 0,
 *   1000 by default): it wakes the worker and returns once the appenders behind the queue have written it (a
 *   {@link BufferedRollingFileAppender} flushes it to the file at once), so a crash right after it (a {@code kill -9})
 *   cannot lose it. It goes through the same queue, so the file keeps the order lines were logged in; the caller
 *   waits for the lines queued before it too, at most {@code urgentWaitMillis} (then it goes on and the line is
 *   written when its turn comes). With 0 (a console copy), nobody waits.</li>
 * </ul>
 */
public class AsyncLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> implements AppenderAttachable<ILoggingEvent> {
    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    /** The WARN and ERROR lines on their way, and what their callers wait on. Identity keys: events do not override equals. */
    private final Map<ILoggingEvent, CountDownLatch> urgent = new ConcurrentHashMap<>();
    private int queueSize = 256;
    private int discardingThreshold = -1;
    private boolean neverBlock;
    private boolean includeCallerData;
    private int maxFlushTime = 1000;
    private int urgentWaitMillis = 1000;
    private int pollMillis = 1;
    private int idlePollMillis = 16;
    private BlockingQueue<ILoggingEvent> queue;
    private Thread worker;
    private volatile boolean draining;

    public void setQueueSize(int size) {
        this.queueSize = size;
    }

    /** Below this many free places, TRACE, DEBUG and INFO lines are dropped (0: never; default: a fifth of the queue). */
    public void setDiscardingThreshold(int threshold) {
        this.discardingThreshold = threshold;
    }

    /** With a full queue, drop the line rather than wait for room. */
    public void setNeverBlock(boolean neverBlock) {
        this.neverBlock = neverBlock;
    }

    public void setIncludeCallerData(boolean includeCallerData) {
        this.includeCallerData = includeCallerData;
    }

    /** At stop, how long the worker may take to write what is queued, in milliseconds. */
    public void setMaxFlushTime(int millis) {
        this.maxFlushTime = millis;
    }

    public void setUrgentWaitMillis(int millis) {
        this.urgentWaitMillis = millis;
    }

    /** How often the worker looks at the queue, in milliseconds. */
    public void setPollMillis(int millis) {
        this.pollMillis = millis;
    }

    /**
     * How often the worker looks at the queue at most once it has found it empty several times in a row, in
     * milliseconds: each empty look doubles the pause from {@code pollMillis} up to this, so an idle gateway's log
     * writers wake about 60 times a second, not 1,000 (a WARN or ERROR line, or a full queue, wakes the worker at once).
     */
    public void setIdlePollMillis(int millis) {
        this.idlePollMillis = millis;
    }

    /** Lines queued and not yet written. */
    public int queued() {
        BlockingQueue<ILoggingEvent> q = queue;
        return q == null ? 0 : q.size();
    }

    @Override
    public void start() {
        if (isStarted()) return;
        if (!appenders.iteratorForAppenders().hasNext()) {
            addError("no appender behind the queue of \"" + name + "\"");
            return;
        }
        if (queueSize < 1 || pollMillis < 1) {
            addError("queueSize and pollMillis must be at least 1 (" + queueSize + ", " + pollMillis + ")");
            return;
        }
        if (discardingThreshold < 0) discardingThreshold = queueSize / 5;
        queue = new ArrayBlockingQueue<>(queueSize);
        draining = true;
        worker = new Thread(this::drain, "AsyncLogAppender-" + name);
        worker.setDaemon(true);
        super.start();
        worker.start();
    }

    @Override
    public void stop() {
        if (!isStarted()) return;
        super.stop();
        draining = false;
        LockSupport.unpark(worker);
        try {
            worker.join(maxFlushTime);
            if (worker.isAlive()) {
                addWarn("\"" + name + "\" stopped with " + queue.size() + " lines not written after " + maxFlushTime + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            addWarn("\"" + name + "\" interrupted while writing what was queued", e);
        }
        appenders.detachAndStopAllAppenders();
    }

    @Override
    protected void append(ILoggingEvent event) {
        boolean isUrgent = event.getLevel().isGreaterOrEqual(Level.WARN);
        if (!isUrgent && discardingThreshold > 0 && queue.remainingCapacity() < discardingThreshold) return;
        event.prepareForDeferredProcessing();
        if (includeCallerData) event.getCallerData();
        if (!isUrgent || urgentWaitMillis <= 0) {
            enqueue(event);
            return;
        }
        CountDownLatch written = new CountDownLatch(1);
        urgent.put(event, written);
        if (!enqueue(event)) {
            urgent.remove(event);
            return;
        }
        LockSupport.unpark(worker);
        try {
            if (!written.await(urgentWaitMillis, TimeUnit.MILLISECONDS)) urgent.remove(event);
        } catch (InterruptedException e) {
            urgent.remove(event);
            Thread.currentThread().interrupt();
        }
    }

    /** Queues the line, waiting for room unless {@code neverBlock}; false if it was dropped. */
    private boolean enqueue(ILoggingEvent event) {
        if (queue.offer(event)) return true;
        if (neverBlock) return false;
        LockSupport.unpark(worker);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    queue.put(event);
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        List<ILoggingEvent> batch = new ArrayList<>();
        long pollNanos = TimeUnit.MILLISECONDS.toNanos(pollMillis);
        long idleNanos = Math.max(pollNanos, TimeUnit.MILLISECONDS.toNanos(idlePollMillis));
        long pause = pollNanos;
        while (true) {
            boolean last = !draining;   // read before draining: a line queued before stop() is written
            queue.drainTo(batch);
            pause = batch.isEmpty() ? Math.min(pause * 2, idleNanos) : pollNanos;
            for (ILoggingEvent event : batch) {
                try {
                    appenders.appendLoopOnAppenders(event);
                } catch (RuntimeException e) {
                    addError("\"" + name + "\" could not write a line", e);
                }
                CountDownLatch waiting = urgent.remove(event);
                if (waiting != null) waiting.countDown();
            }
            batch.clear();
            if (last && queue.isEmpty()) return;
            if (!last) {
                LockSupport.parkNanos(this, pause);
                Thread.interrupted();   // only stop() ends this thread: an interrupt must not make it spin
            }
        }
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
