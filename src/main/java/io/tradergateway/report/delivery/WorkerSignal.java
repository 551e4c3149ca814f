package io.tradergateway.report.delivery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Wake-up and stop signals of one delivery worker.
 *
 * <p>The wake-up is sticky: one given while the worker is busy is kept, so its next idle wait returns at once and a
 * commit made during a read or a push is never missed. {@link #wake()} only holds the monitor for an instant (a
 * waiting worker releases it), so the trading thread can call it after each commit.
 *
 * <p>Stopping goes through this flag rather than {@link Thread#interrupt()}: the worker may be inside an H2 call
 * (outbox read, cursor save), and H2 closes the whole database file when a thread doing file I/O is interrupted.
 */
final class WorkerSignal {

    private boolean wakePending;
    private volatile boolean stopped;

    synchronized void wake() {
        wakePending = true;
        notifyAll();
    }

    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    boolean stopped() {
        return stopped;
    }

    /** Idle wait: returns on a wake-up (consuming it), a stop, or after {@code timeout}. */
    synchronized void awaitWake(Duration timeout) throws InterruptedException {
        waitUntil(() -> wakePending || stopped, timeout);
        wakePending = false;
    }

    /** Back-off wait: only a stop cuts it short (new reports do not make a failing consumer come back sooner). */
    synchronized void sleep(Duration timeout) throws InterruptedException {
        waitUntil(() -> stopped, timeout);
    }

    private void waitUntil(BooleanSupplier done, Duration timeout) throws InterruptedException {
        // Real elapsed time on purpose: the injected Clock stamps status, it does not pace threads.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
