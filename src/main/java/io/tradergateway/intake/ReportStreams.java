package io.tradergateway.intake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What the open {@code GET /v1/exec-reports/stream} answers share: the recent reports in memory, a cap on how many
 * streams are open at once, and the stop that ends them all when the API closes. Each open stream listens here: a report
 * published ({@link #published}) or committed ({@link #committed}) wakes every stream, which sends what follows its
 * cursor from memory, or reads it from the outbox when memory does not hold it. No stream holds a thread or polls the
 * database while nothing happens.
 */
public final class ReportStreams implements AutoCloseable {
    /** Streams open at once. */
    public static final int DEFAULT_MAX_STREAMS = 64;
    /** A comment line is sent after this long without an event, so that proxies keep the connection. */
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

    final Duration heartbeat;
    /** How long one stream stays open before it ends itself cleanly (the client resumes with Last-Event-ID). */
    final Duration lifetime;
    private final int maxStreams;
    private final Semaphore slots;
    private long latest;
    private boolean closed;
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();

    public ReportStreams() {
        this(DEFAULT_MAX_STREAMS, DEFAULT_HEARTBEAT, ApiServer.responseBudget());
    }

    ReportStreams(int maxStreams, Duration heartbeat, Duration lifetime) {
        this.maxStreams = maxStreams;
        this.slots = new Semaphore(maxStreams);
        this.heartbeat = heartbeat;
        this.lifetime = lifetime;
    }

    /** A report with this sequence is committed (called after the commit; never blocks for long). */
    public void committed(long sequence) {
        synchronized (this) {
            if (sequence <= latest) return;
            latest = sequence;
        }
        wakeAll();
    }

    /** Wakes each open stream (a stream's wake-up only schedules its work on its connection's I/O thread). */
    private void wakeAll() {
        for (Runnable wake : listeners) wake.run();
    }

    /** {@code wake} runs after each report published or committed, and at the stop, until {@link #ignore}. */
    void listen(Runnable wake) {
        listeners.add(wake);
    }

    void ignore(Runnable wake) {
        listeners.remove(wake);
    }

    /** Recent reports kept in memory for the streams: a run of consecutive sequences, at most this many. */
    static final int RECENT = 4096;
    /** The run, report {@code s} at {@code s % RECENT}: a stream finds what follows its cursor without walking the run. */
    private final String[] recent = new String[RECENT];
    private long recentFirst;
    private int recentSize;

    /**
     * A report, durable in the journal, as the report output stage wrote it: kept among the recent ones, so that an
     * open stream sends it from memory rather than read it back from the outbox (which is a moment behind the journal).
     */
    public void published(long sequence, String json) {
        synchronized (this) {
            if (recentSize == 0 || sequence != recentFirst + recentSize) {
                Arrays.fill(recent, null);
                recentSize = 0;
                recentFirst = sequence;
            }
            recent[slot(sequence)] = json;
            if (recentSize < RECENT) recentSize++;
            else recentFirst++;
            if (sequence > latest) latest = sequence;
        }
        wakeAll();
    }

    private static int slot(long sequence) {
        return (int) Math.floorMod(sequence, (long) RECENT);
    }

    /**
     * Up to {@code max} reports after {@code cursor} from memory, as (sequence, JSON) pairs; null when memory does not
     * hold the report right after the cursor (a stream catching up from older reports reads the outbox).
     */
    synchronized List<Map.Entry<Long, String>> recentAfter(long cursor, int max) {
        long next = cursor + 1;
        long end = recentFirst + recentSize;
        if (recentSize == 0 || next < recentFirst || next > end) return null;
        long last = Math.min(end, next + max);
        List<Map.Entry<Long, String>> out = new ArrayList<>((int) (last - next));
        for (long seq = next; seq < last; seq++) out.add(Map.entry(seq, recent[slot(seq)]));
        return out;
    }

    /** A slot for one more stream, or false when {@link #DEFAULT_MAX_STREAMS} (or the cap given) are open or this is closed. */
    boolean open() {
        if (closed()) return false;
        return slots.tryAcquire();
    }

    /** Gives back the slot {@link #open} took. */
    void release() {
        slots.release();
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Ends every open stream (at once) and refuses new ones. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        wakeAll();
    }

    /**
     * Waits up to {@code timeout} for every open stream to have ended (after {@link #close}); false if some are still open.
     */
    boolean awaitEnded(Duration timeout) throws InterruptedException {
        if (!slots.tryAcquire(maxStreams, timeout.toNanos(), TimeUnit.NANOSECONDS)) return false;
        slots.release(maxStreams);
        return true;
    }
}
