package io.tradergateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncLogAppenderTest {
    /** Long enough that a line written within it was written because something woke the worker. */
    private static final int NEVER = 60_000;

    private final LoggerContext context = new LoggerContext();
    private final Written written = new Written();
    private AsyncLogAppender async;

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void everyLineIsWrittenInTheOrderEachThreadLoggedIt() throws Exception {
        Logger log = logger(4, 1, 1000);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 2_000; i++) log.info("t{} line {}", thread, i);
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        async.stop();

        List<String> lines = written.lines();
        assertThat(lines).hasSize(8_000);
        for (int t = 0; t < 4; t++) {
            String prefix = "t" + t + " ";
            List<String> own = lines.stream().filter(l -> l.startsWith(prefix)).toList();
            for (int i = 0; i < own.size(); i++) assertThat(own.get(i)).isEqualTo(prefix + "line " + i);
        }
    }

    @Test
    void anInfoLineDoesNotWakeTheWorkerAndStopWritesIt() throws Exception {
        Logger log = logger(64, NEVER, 1000);
        awaitWorkerAsleep();
        log.info("quiet");
        Thread.sleep(300);
        assertThat(written.lines()).as("written only when the worker looks again, or at stop").isEmpty();
        async.stop();
        assertThat(written.lines()).containsExactly("quiet");
    }

    @Test
    void aWorkerThatFoundNothingForAWhileLooksLessOftenButStillWritesALine() throws Exception {
        Logger log = logger(64, 1, 1000, 100);
        Thread.sleep(500);   // many empty looks: the pause has grown to its bound
        log.info("after a quiet spell");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (written.lines().isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(written.lines()).containsExactly("after a quiet spell");
    }

    @Test
    void aWarningIsWrittenAfterWhatCameBeforeItBeforeItsCallerGoesOn() {
        Logger log = logger(64, NEVER, 10_000);
        log.info("before");
        long started = System.nanoTime();
        log.warn("trouble");
        assertThat(written.lines()).containsExactly("before", "trouble");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(NEVER / 2);
    }

    @Test
    void withNoUrgentWaitAWarningIsOnlyQueued() throws Exception {
        Logger log = logger(64, NEVER, 0);
        awaitWorkerAsleep();
        log.warn("console copy");
        Thread.sleep(300);
        assertThat(written.lines()).isEmpty();
        async.stop();
        assertThat(written.lines()).containsExactly("console copy");
    }

    @Test
    void aFullQueueWakesTheWorkerAndLosesNothing() {
        Logger log = logger(2, NEVER, 1000);
        for (int i = 0; i < 50; i++) log.info("line {}", i);
        // When the last put returns, at most 2 lines wait in the queue and at most 2 more in the worker's
        // drained batch: every other line must already have been written to make room.
        assertThat(written.lines()).as("the first lines were written to make room").hasSizeGreaterThanOrEqualTo(46);
        async.stop();
        assertThat(written.lines()).hasSize(50).startsWith("line 0", "line 1").endsWith("line 49");
    }

    @Test
    void withoutAnAppenderBehindItItDoesNotStart() {
        AsyncLogAppender alone = new AsyncLogAppender();
        alone.setContext(context);
        alone.setName("alone");
        alone.start();
        assertThat(alone.isStarted()).isFalse();
    }

    private Logger logger(int queueSize, int pollMillis, int urgentWaitMillis) {
        return logger(queueSize, pollMillis, urgentWaitMillis, 16);
    }

    private Logger logger(int queueSize, int pollMillis, int urgentWaitMillis, int idlePollMillis) {
        context.setMDCAdapter(new LogbackMDCAdapter());
        written.setContext(context);
        written.start();
        async = new AsyncLogAppender();
        async.setContext(context);
        async.setName("async");
        async.setQueueSize(queueSize);
        async.setDiscardingThreshold(0);
        async.setPollMillis(pollMillis);
        async.setIdlePollMillis(idlePollMillis);
        async.setUrgentWaitMillis(urgentWaitMillis);
        async.addAppender(written);
        async.start();
        assertThat(async.isStarted()).isTrue();
        Logger log = context.getLogger("test");
        log.setLevel(Level.INFO);
        log.addAppender(async);
        return log;
    }

    /** Waits until the worker has looked at the (empty) queue once and sleeps until it looks again. */
    private static void awaitWorkerAsleep() throws InterruptedException {
        for (int i = 0; i < 1_000; i++) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("AsyncLogAppender-async") && t.getState() == Thread.State.TIMED_WAITING) return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the worker never went to sleep");
    }

    /** The formatted messages written, in order. */
    private static final class Written extends AppenderBase<ILoggingEvent> {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }
    }
}
