package io.tradergateway.report.delivery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class WorkerSignalTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    @Test
    void aWakeUpGivenWhileBusyIsKeptForTheNextIdleWaitAndThenConsumed() throws Exception {
        WorkerSignal signal = new WorkerSignal();
        signal.wake();
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> signal.awaitWake(LONG));
        // consumed: the next wait runs to its timeout
        long started = System.nanoTime();
        signal.awaitWake(Duration.ofMillis(50));
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(50).toNanos());
    }

    @Test
    void aWakeUpDoesNotShortenABackOffButAStopEndsEveryWait() throws Exception {
        WorkerSignal signal = new WorkerSignal();
        signal.wake();
        long started = System.nanoTime();
        signal.sleep(Duration.ofMillis(50));
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(50).toNanos(), "back-off cut short by a wake-up");

        signal.stop();
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> signal.sleep(LONG));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> signal.awaitWake(LONG));
        assertTrue(signal.stopped());
    }
}
