package io.tradergateway.report.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pushes the outbox to one consumer, on its own thread: read the batch after the cursor, POST it, and on a 2xx
 * store the cursor and move on; on anything else wait (exponential back-off) and POST the same batch again.
 * Nothing here is shared with the other consumers' workers (not even the HTTP client), so one consumer's
 * trouble cannot slow another.
 */
final class ConsumerWorker implements Runnable {

    // One logger for the whole delivery component, so operators tune it in one place.
    private static final Logger log = LoggerFactory.getLogger(ReportDispatcher.class);

    /** While a consumer stays down, one INFO line at most this often; the individual retries log at DEBUG. */
    static final Duration STILL_DOWN_REMINDER = Duration.ofMinutes(5);

    private enum Fault { CONSUMER, OUTBOX_READ, MALFORMED_REPORT, UNEXPECTED }

    /** Immutable progress snapshot: written by the worker thread only, read by {@link ReportDispatcher#status()}. */
    record Progress(long cursor, int consecutiveFailures, String lastError, Instant nextAttemptAt,
                    Instant downSince, Instant lastAcknowledgedAt) {
        boolean down() {
            return consecutiveFailures > 0;
        }
    }

    private final ConsumerEndpoint endpoint;
    private final ReportOutbox outbox;
    private final ConsumerCursorStore cursors;
    private final DeliveryPolicy policy;
    private final Clock clock;
    private final Backoff backoff;
    private final HttpClient http;
    private final WorkerSignal signal = new WorkerSignal();
    private final AtomicReference<Progress> progress;
    /** The push in progress, so {@link #stop()} can abandon it instead of waiting for the consumer's answer. */
    private volatile CompletableFuture<?> inFlight;

    // Worker-thread-only state.
    private Fault streakFault;
    private Instant lastDownLogAt;
    private long gapWarnedAtCursor = -1;
    private boolean cursorSaveFailing;

    ConsumerWorker(ConsumerEndpoint endpoint, ReportOutbox outbox, ConsumerCursorStore cursors,
                   DeliveryPolicy policy, Clock clock, Backoff backoff, long storedCursor) {
        this.endpoint = endpoint;
        this.outbox = outbox;
        this.cursors = cursors;
        this.policy = policy;
        this.clock = clock;
        this.backoff = backoff;
        this.progress = new AtomicReference<>(new Progress(storedCursor, 0, null, null, null, null));
        // A client per consumer: its own connection pool and selector, so a consumer that hangs connections
        // open cannot starve the others.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(endpoint.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    String name() {
        return endpoint.name();
    }

    Progress progress() {
        return progress.get();
    }

    void wakeUp() {
        signal.wake();
    }

    /**
     * Ends the loop promptly: cuts short any wait and abandons the push in progress (its batch stays
     * unacknowledged, so it is sent again after a restart). A read or save in progress is allowed to finish.
     */
    void stop() {
        signal.stop();
        CompletableFuture<?> push = inFlight;
        if (push != null) push.cancel(true);
    }

    @Override
    public void run() {
        log.info("Delivering exec-reports to {} at {} from sequence {}", name(), endpoint.url(), progress.get().cursor() + 1);
        try {
            while (!signal.stopped()) {
                try {
                    step();
                } catch (RuntimeException e) {
                    if (signal.stopped()) break;
                    // A bug or a broken collaborator must not end delivery for good: back off and try again.
                    fail(Fault.UNEXPECTED, "unexpected " + describe(e), e, null);
                }
            }
        } catch (InterruptedException e) {
            // Nobody in this component interrupts; if someone else does, stop as asked.
            Thread.currentThread().interrupt();
        }
        log.debug("Delivery worker for {} stopped at cursor {}", name(), progress.get().cursor());
    }

    /** One read of the outbox, and if it found reports, their delivery until acknowledged. */
    private void step() throws InterruptedException {
        List<OutboxEntry> batch;
        try {
            batch = nextBatch();
        } catch (RuntimeException e) {
            if (signal.stopped()) return;
            fail(Fault.OUTBOX_READ, "outbox read failed: " + describe(e), e, null);
            return;
        }
        if (streakFault == Fault.OUTBOX_READ) outboxReadable();
        if (batch.isEmpty()) {
            signal.awaitWake(policy.pollInterval());
            return;
        }
        String body;
        try {
            body = PushBody.render(name(), batch);
        } catch (PushBody.MalformedReportException e) {
            if (e.sequence() == first(batch)) {
                fail(Fault.MALFORMED_REPORT, e.getMessage(), null, batch);
                return;
            }
            // Deliver what comes before the broken report; the next read stops at it.
            batch = batch.subList(0, (int) (e.sequence() - first(batch)));
            body = PushBody.render(name(), batch);
        }
        HttpRequest request = request(batch, body);
        // The same batch until it is acknowledged: never skip, never reorder.
        while (!signal.stopped()) {
            String error = attempt(request);
            if (error == null) {
                acknowledged(batch);
                return;
            }
            if (signal.stopped()) return;
            fail(Fault.CONSUMER, error, null, batch);
        }
    }

    /**
     * The reports right after the cursor, stopping at the first hole: a sequence that is not visible yet (a
     * transaction committing out of order) is waited for, never jumped over.
     */
    private List<OutboxEntry> nextBatch() {
        long cursor = progress.get().cursor();
        List<OutboxEntry> read = outbox.readAfter(cursor, policy.batchSize());
        List<OutboxEntry> batch = ReportDispatcher.contiguousAfter(cursor, read, policy.batchSize());
        if (batch.isEmpty() && !read.isEmpty() && gapWarnedAtCursor != cursor) {
            gapWarnedAtCursor = cursor;
            log.warn("Outbox returned sequence {} after cursor {} for {}; waiting for sequence {} (delivery never skips)",
                    read.get(0).sequence(), cursor, name(), cursor + 1);
        }
        return batch;
    }

    private HttpRequest request(List<OutboxEntry> batch, String body) {
        return HttpRequest.newBuilder(endpoint.url())
                .timeout(endpoint.timeout())
                .header("Content-Type", "application/json")
                .header(ReportDispatcher.HEADER_SEQUENCE_FROM, Long.toString(first(batch)))
                .header(ReportDispatcher.HEADER_SEQUENCE_TO, Long.toString(last(batch)))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    /** @return null when the consumer acknowledged with a 2xx, otherwise why not */
    private String attempt(HttpRequest request) throws InterruptedException {
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        inFlight = response;
        // stop() may have run just before inFlight was set; it cannot have missed both checks.
        if (signal.stopped()) response.cancel(true);
        try {
            // The request timeout only runs until the response headers; a consumer that sends them and then stalls
            // the body would hold this worker for ever. So the whole exchange gets the same bound.
            int status = response.get(endpoint.timeout().toNanos(), TimeUnit.NANOSECONDS).statusCode();
            return status >= 200 && status < 300 ? null : "HTTP " + status;
        } catch (TimeoutException e) {
            response.cancel(true);
            return noResponse();
        } catch (CancellationException e) {
            return "push abandoned: delivery stopping";
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return describe(e.getCause());
        } finally {
            inFlight = null;
        }
    }

    private void acknowledged(List<OutboxEntry> batch) {
        long to = last(batch);
        try {
            cursors.save(name(), to);
            if (cursorSaveFailing) {
                cursorSaveFailing = false;
                log.info("Cursor of {} stored again (at {})", name(), to);
            }
        } catch (RuntimeException e) {
            // The consumer has the reports; at worst a restart sends them again (at-least-once). Keep delivering.
            if (!cursorSaveFailing) {
                cursorSaveFailing = true;
                log.warn("{} acknowledged {}..{} but its cursor could not be stored; reports acknowledged from now "
                        + "until the store works again may be re-sent after a restart", name(), first(batch), to, e);
            } else {
                log.debug("Cursor of {} still not stored (at {}): {}", name(), to, e.toString());
            }
        }
        Progress before = progress.get();
        progress.set(new Progress(to, 0, before.lastError(), null, null, clock.instant()));
        streakFault = null;
        if (before.down()) {
            log.info("Consumer {} is back up after {} failed attempts (down since {}); delivered {}..{}, lag {}",
                    name(), before.consecutiveFailures(), before.downSince(), first(batch), to, lagText(to));
        }
        log.debug("Consumer {} acknowledged {}..{} ({} reports)", name(), first(batch), to, batch.size());
    }

    private void outboxReadable() {
        Progress before = progress.get();
        progress.set(new Progress(before.cursor(), 0, before.lastError(), null, null, before.lastAcknowledgedAt()));
        streakFault = null;
        log.info("Outbox readable again for {} after {} failed reads", name(), before.consecutiveFailures());
    }

    /** Records a failed attempt and waits out its back-off. Only the first failure of a streak logs above DEBUG. */
    private void fail(Fault fault, String error, Throwable cause, List<OutboxEntry> batch) throws InterruptedException {
        Progress before = progress.get();
        int failures = before.consecutiveFailures() + 1;
        Duration delay = backoff.delay(failures);
        Instant now = clock.instant();
        Instant downSince = before.downSince() == null ? now : before.downSince();
        progress.set(new Progress(before.cursor(), failures, error, now.plus(delay), downSince, before.lastAcknowledgedAt()));
        String sending = batch == null ? "nothing yet" : first(batch) + ".." + last(batch);
        if (failures == 1) {
            streakFault = fault;
            lastDownLogAt = now;
            if (fault == Fault.CONSUMER) {
                log.info("Consumer {} is down: {} (sending {}); holding at cursor {}, retrying with back-off from {}",
                        name(), error, sending, before.cursor(), delay);
            } else {
                log.warn("Delivery to {} is stalled at cursor {} (sending {}): {}; retrying with back-off",
                        name(), before.cursor(), sending, error, cause);
            }
        } else if (!now.isBefore(lastDownLogAt.plus(STILL_DOWN_REMINDER))) {
            lastDownLogAt = now;
            log.info("Consumer {} still not delivered after {} attempts since {}: {}; cursor {}, lag {}",
                    name(), failures, downSince, error, before.cursor(), lagText(before.cursor()));
        } else {
            log.debug("Consumer {} attempt {} failed (sending {}): {}; next attempt in {}", name(), failures, sending, error, delay);
        }
        signal.sleep(delay);
    }

    private String lagText(long cursor) {
        try {
            return Long.toString(Math.max(0, outbox.lastSequence() - cursor));
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private String describe(Throwable t) {
        if (t instanceof HttpTimeoutException) return noResponse();
        if (t instanceof ConnectException) return "connection failed" + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private String noResponse() {
        return "no response within " + endpoint.timeout();
    }

    private static long first(List<OutboxEntry> batch) {
        return batch.get(0).sequence();
    }

    private static long last(List<OutboxEntry> batch) {
        return batch.get(batch.size() - 1).sequence();
    }
}
