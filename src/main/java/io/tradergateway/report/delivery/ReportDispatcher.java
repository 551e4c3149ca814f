package io.tradergateway.report.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the exec-report outbox to every pushed consumer: at least once, strictly in sequence order, each
 * consumer on its own worker thread with its own stored cursor and its own back-off.
 *
 * <p>Wire format of a push: {@code POST <url>}, {@code Content-Type: application/json}, headers
 * {@value #HEADER_SEQUENCE_FROM} / {@value #HEADER_SEQUENCE_TO}, body
 * {@code {"consumer": "<name>", "reports": [ <stored exec-report objects, verbatim, in sequence order> ]}}.
 * A 2xx acknowledges the whole batch; anything else (other status, timeout, refused connection) sends the same
 * batch again after back-off.
 *
 * <p>Usage: build it with the consumers' endpoints, {@link #start()} it once, call {@link #wakeUp()} after each
 * commit that added reports (it never blocks), read {@link #status()} for health, {@link #close()} on shutdown.
 */
public final class ReportDispatcher implements AutoCloseable {

    public static final String HEADER_SEQUENCE_FROM = "X-Report-Sequence-From";
    public static final String HEADER_SEQUENCE_TO = "X-Report-Sequence-To";
    /** Largest page {@link #page} returns. */
    public static final int MAX_PAGE_SIZE = 1000;

    private static final Logger log = LoggerFactory.getLogger(ReportDispatcher.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final ReportOutbox outbox;
    private final ConsumerCursorStore cursors;
    private final List<ConsumerEndpoint> endpoints;
    private final Map<String, ConsumerWorker> workers = new LinkedHashMap<>();
    private final Object lifecycle = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private boolean started;
    private boolean closed;

    /**
     * Loads each pushed consumer's stored cursor; nothing is sent before {@link #start()}.
     *
     * @param clock stamps status times (next attempt, down since); waits are measured in real elapsed time
     */
    public ReportDispatcher(ReportOutbox outbox, ConsumerCursorStore cursors, List<ConsumerEndpoint> endpoints,
                            DeliveryPolicy policy, Clock clock) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.cursors = Objects.requireNonNull(cursors, "cursors");
        this.endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
        Set<String> names = new HashSet<>();
        for (ConsumerEndpoint endpoint : this.endpoints) {
            if (!names.add(endpoint.name())) {
                throw new IllegalArgumentException("consumer configured twice: " + endpoint.name());
            }
        }
        for (ConsumerEndpoint endpoint : this.endpoints) {
            if (!endpoint.pushed()) continue;
            long stored = cursors.load(endpoint.name());
            if (stored < 0) throw new IllegalStateException("stored cursor of " + endpoint.name() + " is negative: " + stored);
            Backoff backoff = new Backoff(policy, () -> ThreadLocalRandom.current().nextDouble());
            workers.put(endpoint.name(), new ConsumerWorker(endpoint, outbox, cursors, policy, clock, backoff, stored));
        }
    }

    /** Starts one daemon worker thread per pushed consumer, named {@code delivery-<consumer>}. */
    public void start() {
        synchronized (lifecycle) {
            if (closed) throw new IllegalStateException("report dispatcher is closed");
            if (started) throw new IllegalStateException("report dispatcher already started");
            started = true;
            for (ConsumerWorker worker : workers.values()) {
                Thread thread = new Thread(worker, "delivery-" + worker.name());
                thread.setDaemon(true);
                thread.setUncaughtExceptionHandler((t, e) -> log.error("Delivery thread {} died", t.getName(), e));
                threads.add(thread);
                thread.start();
            }
        }
        List<String> pullOnly = endpoints.stream().filter(e -> !e.pushed()).map(ConsumerEndpoint::name).toList();
        log.info("Report delivery started: pushing to {}{}", workers.keySet(),
                pullOnly.isEmpty() ? "" : ", pull-only " + pullOnly);
    }

    /**
     * Tells every worker that new reports were committed, so an idle one re-reads the outbox now rather than at
     * its next poll. Never blocks; a worker that is backing off keeps its back-off (a commit does not make a
     * dead consumer come back).
     */
    public void wakeUp() {
        for (ConsumerWorker worker : workers.values()) {
            worker.wakeUp();
        }
    }

    /**
     * Per consumer, in configuration order. For a pull-only consumer the cursor is whatever the store holds
     * (−1 if it cannot be read), since the pusher never moves it.
     */
    public Map<String, ConsumerStatus> status() {
        long lastSequence;
        try {
            lastSequence = outbox.lastSequence();
        } catch (RuntimeException e) {
            log.debug("Outbox last sequence unavailable for status", e);
            lastSequence = -1;
        }
        Map<String, ConsumerStatus> result = new LinkedHashMap<>();
        for (ConsumerEndpoint endpoint : endpoints) {
            ConsumerWorker worker = workers.get(endpoint.name());
            if (worker == null) {
                long cursor = storedCursorOrUnknown(endpoint.name());
                result.put(endpoint.name(), new ConsumerStatus(endpoint.name(), ConsumerStatus.State.PULL_ONLY, cursor,
                        lag(lastSequence, cursor), 0, null, null, null, null));
                continue;
            }
            ConsumerWorker.Progress p = worker.progress();
            result.put(endpoint.name(), new ConsumerStatus(endpoint.name(),
                    p.down() ? ConsumerStatus.State.DOWN : ConsumerStatus.State.UP, p.cursor(),
                    lag(lastSequence, p.cursor()), p.consecutiveFailures(), p.lastError(), p.nextAttemptAt(),
                    p.downSince(), p.lastAcknowledgedAt()));
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * Stops the workers promptly: any wait is cut short and a push in progress is abandoned (sent again after a
     * restart). Workers are not interrupted, because an interrupt inside an H2 call closes the database; a worker
     * in the middle of an outbox read or cursor save finishes it first. Idempotent.
     */
    @Override
    public void close() {
        List<Thread> running;
        synchronized (lifecycle) {
            if (closed) return;
            closed = true;
            running = List.copyOf(threads);
        }
        workers.values().forEach(ConsumerWorker::stop);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Thread thread : running) {
            try {
                TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadline - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (thread.isAlive()) log.warn("Delivery thread {} did not stop within {}", thread.getName(), STOP_WAIT);
        }
        log.info("Report delivery stopped");
    }

    /**
     * One page for a pulling consumer ({@code GET /v1/exec-reports?after=N&limit=M}): the reports right after
     * {@code after}, in sequence order, up to {@code limit} clamped to [1, {@value #MAX_PAGE_SIZE}]. The page stops
     * before the first sequence that is not visible yet, so a client that resumes from the last sequence it saw
     * can never skip one.
     *
     * @throws IllegalArgumentException when {@code after} is negative
     */
    public static List<OutboxEntry> page(ReportOutbox outbox, long after, int limit) {
        Objects.requireNonNull(outbox, "outbox");
        if (after < 0) throw new IllegalArgumentException("after must be >= 0: " + after);
        int clamped = Math.max(1, Math.min(MAX_PAGE_SIZE, limit));
        return contiguousAfter(after, outbox.readAfter(after, clamped), clamped);
    }

    /** The longest run of {@code read} that continues {@code after + 1, after + 2, ...}, at most {@code limit} long. */
    static List<OutboxEntry> contiguousAfter(long after, List<OutboxEntry> read, int limit) {
        List<OutboxEntry> run = new ArrayList<>(Math.min(read.size(), limit));
        long expected = after + 1;
        for (OutboxEntry entry : read) {
            if (run.size() == limit || entry.sequence() != expected) break;
            run.add(entry);
            expected++;
        }
        return List.copyOf(run);
    }

    private long storedCursorOrUnknown(String consumer) {
        try {
            return cursors.load(consumer);
        } catch (RuntimeException e) {
            log.debug("Stored cursor of {} unavailable for status", consumer, e);
            return -1;
        }
    }

    private static long lag(long lastSequence, long cursor) {
        return lastSequence < 0 || cursor < 0 ? -1 : Math.max(0, lastSequence - cursor);
    }
}
