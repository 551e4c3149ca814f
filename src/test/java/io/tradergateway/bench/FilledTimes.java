package io.tradergateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What the side-by-side benchmark keeps of the reports a {@link ReportReader} reads: per plan number only whether
 * its end was seen (a {@code boolean[]} sized for the run, so a million-plan run holds no per-plan objects), and
 * the time from each plan's POST to its {@code filled} report being readable, in an HdrHistogram (nanoseconds)
 * that {@link #restart()} hands over and replaces. Plans are numbered: plan id = prefix + number.
 */
final class FilledTimes implements ReportReader.Sink {
    private final String prefix;
    private final long[] postStart;
    private final boolean[] ended;
    /** When each plan's {@code filled} report was read (nanoTime; 0 if not yet): the stage split's last step. */
    private final long[] readAt;
    private volatile Histogram postToFilled = new Histogram(3);
    private final AtomicInteger endedCount = new AtomicInteger();
    private final AtomicInteger notFilled = new AtomicInteger();
    private volatile String firstNotFilled;
    private volatile long lastEndNanos;
    /** A client waiting for one plan's end ({@link #awaitEnded(int, Duration)} with {@code wakeUp}), unparked at each end. */
    private volatile Thread waiter;

    FilledTimes(String prefix, long[] postStart) {
        this.prefix = prefix;
        this.postStart = postStart;
        this.ended = new boolean[postStart.length];
        this.readAt = new long[postStart.length];
    }

    @Override
    public void accept(JsonNode report, long seenAtNanos) {
        String plan = report.path("plan_id").asText();
        String status = report.path("status").asText();
        int at = plan.indexOf(prefix);   // after a random head when the benchmark makes ids as an upstream would
        if (at < 0 || status.equals("partial")) return;
        int i = Integer.parseInt(plan, at + prefix.length(), plan.length(), 10);
        if (ended[i]) return;
        ended[i] = true;
        if (status.equals("filled")) {
            postToFilled.recordValue(seenAtNanos - postStart[i]);
            readAt[i] = seenAtNanos;
        } else if (notFilled.getAndIncrement() == 0) {
            firstNotFilled = plan + " ended " + status + ": " + report;
        }
        lastEndNanos = seenAtNanos;
        endedCount.incrementAndGet();
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w);
    }

    long[] readAt() {
        return readAt;
    }

    /**
     * Waits until {@code count} plans have ended, or none ended for {@code stall}; returns how many ended. Polls
     * every millisecond on the caller's thread (which is idle meanwhile).
     */
    int awaitEnded(int count, Duration stall) {
        return awaitEnded(count, stall, false);
    }

    /**
     * As above; with {@code wakeUp} the caller is unparked by the reader the moment a plan ends, as a bare QuickFIX/J
     * client's callback would send its next order (one waiter at a time: the one-plan-at-a-time client).
     */
    int awaitEnded(int count, Duration stall, boolean wakeUp) {
        if (wakeUp) waiter = Thread.currentThread();
        try {
            return waitFor(count, stall);
        } finally {
            if (wakeUp) waiter = null;
        }
    }

    private int waitFor(int count, Duration stall) {
        int last = endedCount.get();
        long lastProgress = System.nanoTime();
        while (last < count && System.nanoTime() - lastProgress < stall.toNanos()) {
            LockSupport.parkNanos(1_000_000);
            int now = endedCount.get();
            if (now > last) {
                last = now;
                lastProgress = System.nanoTime();
            }
        }
        return last;
    }

    /** Plans whose end (filled or not) was read. */
    int ended() {
        return endedCount.get();
    }

    /** When the latest end was read ({@link System#nanoTime()}). */
    long lastEndNanos() {
        return lastEndNanos;
    }

    /**
     * POST → {@code filled} readable (ns) of the plans that ended since the last restart, and a new histogram for the
     * next ones. Call it only while every plan posted has ended (the reader then records nothing).
     */
    Histogram restart() {
        Histogram done = postToFilled;
        postToFilled = new Histogram(3);
        return done;
    }

    int notFilled() {
        return notFilled.get();
    }

    String firstNotFilled() {
        return firstNotFilled;
    }
}
