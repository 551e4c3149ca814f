package io.tradergateway.intake;

import io.tradergateway.report.Json;
import io.tradergateway.report.delivery.OutboxEntry;
import io.tradergateway.report.delivery.ReportDispatcher;
import io.tradergateway.report.delivery.ReportOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One {@code GET /v1/exec-reports/stream} answer ({@code text/event-stream}): every stored report after the client's
 * cursor as an event ({@code id:} its sequence, {@code data:} the report on one line), then each new one once it is
 * committed. It holds no thread: its state lives on its connection's I/O thread, where a report published or committed
 * ({@link ReportStreams}) wakes it to send what follows its cursor from memory; a stream behind what memory holds reads
 * the outbox a page at a time on a worker thread. It never outruns its client: while the connection's queue of unwritten
 * bytes is over Netty's high-water mark it sends nothing, and it resumes from its cursor when the client has read. It
 * sends {@code : keep-alive} after a quiet {@link ReportStreams#heartbeat}, ends itself cleanly after
 * {@link ReportStreams#lifetime} or when the API stops, and gives its slot back as soon as the client hangs up.
 */
final class ExecReportStream {
    private static final Logger log = LoggerFactory.getLogger(ExecReportStream.class);
    /** Reports sent per page (from memory or the outbox). */
    static final int PAGE = 500;
    /** What the stream tells a client to wait before reconnecting once it ends ({@code retry:}, milliseconds). */
    static final int RETRY_MS = 1000;

    private final ApiExchange ex;
    private final ReportStreams streams;
    private final ReportOutbox outbox;
    private final Executor workers;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Runnable wake = this::wake;
    // Owned by the I/O thread:
    private long cursor;
    private boolean reading;
    private boolean pumping;
    private boolean pumpAgain;
    private boolean wokenWhileReading;
    private boolean ended;
    private long lastSentNanos;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> lifetime;

    private ExecReportStream(ApiExchange ex, ReportStreams streams, ReportOutbox outbox, Executor workers, long after) {
        this.ex = ex;
        this.streams = streams;
        this.outbox = outbox;
        this.workers = workers;
        this.cursor = after;
    }

    /**
     * Answers the exchange with the stream of reports after {@code after}, from now on its connection's I/O thread. The
     * stream holds the slot taken with {@link ReportStreams#open} and gives it back when it ends.
     *
     * @param workers where the outbox is read when memory does not hold what follows the cursor
     */
    static void start(ApiExchange ex, ReportStreams streams, ReportOutbox outbox, Executor workers, long after) {
        ExecReportStream stream = new ExecReportStream(ex, streams, outbox, workers, after);
        ex.responseHeader("Cache-Control", "no-cache");
        // nginx would otherwise buffer the answer and hold the events back.
        ex.responseHeader("X-Accel-Buffering", "no");
        ex.startChunks(200, "text/event-stream");
        ex.ioThread().execute(stream::begin);
    }

    private void begin() {
        send("retry: " + RETRY_MS + "\n\n");
        ex.onWritable(this::pump);
        streams.listen(wake);
        heartbeat = ex.schedule(this::beat, streams.heartbeat);
        lifetime = ex.schedule(this::end, streams.lifetime);
        // Last: on a connection already closed this runs end() at once, which undoes all of the above.
        ex.onClosed(this::end);
        pump();
    }

    /** Any thread: a report was published or committed, or the API stops. At most one wake-up waits on the I/O thread. */
    private void wake() {
        if (!wakePending.compareAndSet(false, true)) return;
        try {
            ex.ioThread().execute(() -> {
                wakePending.set(false);
                pump();
            });
        } catch (RejectedExecutionException e) {
            // The I/O thread has stopped: the connection is gone, and end() ran or runs with its close.
            wakePending.set(false);
        }
    }

    /**
     * Sends what follows the cursor, as far as the client keeps up. A write can make the connection writable again at
     * once, which calls this again from inside the write: that inner call only asks the outer loop to go on.
     */
    private void pump() {
        if (ended) return;
        if (streams.closed()) {
            end();
            return;
        }
        if (pumping) {
            pumpAgain = true;
            return;
        }
        if (reading) {
            // The page being read may have been read before what woke us: read again once it is sent.
            wokenWhileReading = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                sendFromMemory();
            } while (pumpAgain && !ended);
        } finally {
            pumping = false;
        }
    }

    private void sendFromMemory() {
        while (!reading && !ended && ex.writable()) {
            List<Map.Entry<Long, String>> recent = streams.recentAfter(cursor, PAGE);
            if (recent == null) {
                readOutbox();
                return;
            }
            if (recent.isEmpty()) return;
            sendEvents(recent);
        }
    }

    /** Sends reports as (sequence, JSON) events and moves the cursor past the last. */
    private void sendEvents(List<Map.Entry<Long, String>> reports) {
        StringBuilder events = new StringBuilder();
        for (Map.Entry<Long, String> e : reports) event(events, e.getKey(), e.getValue());
        cursor = reports.get(reports.size() - 1).getKey();
        send(events.toString());
    }

    /** Reads the page after the cursor from the outbox on a worker, and sends it back on the I/O thread. */
    private void readOutbox() {
        reading = true;
        long from = cursor;
        try {
            workers.execute(() -> {
                List<OutboxEntry> page;
                try {
                    page = ReportDispatcher.page(outbox, from, PAGE);
                } catch (RuntimeException e) {
                    log.warn("report stream: reading the outbox after {} failed; the stream ends (the client resumes): {}",
                            from, e.toString());
                    ex.ioThread().execute(this::end);
                    return;
                }
                ex.ioThread().execute(() -> sendPage(page));
            });
        } catch (RejectedExecutionException e) {
            log.warn("report stream: no worker to read the outbox; the stream ends (the client resumes)");
            end();
        }
    }

    private void sendPage(List<OutboxEntry> page) {
        reading = false;
        boolean woken = wokenWhileReading;
        wokenWhileReading = false;
        if (ended) return;
        if (!page.isEmpty()) sendEvents(page.stream().map(e -> Map.entry(e.sequence(), e.json())).toList());
        // More may follow in the outbox (a full page, or news while it was read), or in memory by now.
        if (!page.isEmpty() || woken) pump();
    }

    private void beat() {
        if (ended) return;
        // Without the engine's word (a commit not published) new reports are found here, at the heartbeat.
        if (!reading && ex.writable() && streams.recentAfter(cursor, 1) == null) readOutbox();
        long quiet = System.nanoTime() - lastSentNanos;
        if (quiet >= streams.heartbeat.toNanos()) {
            send(": keep-alive\n\n");
            quiet = 0;
        }
        heartbeat = ex.schedule(this::beat, streams.heartbeat.minusNanos(quiet));
    }

    /** Ends the answer cleanly (lifetime, API stop) or after the client went away; gives the slot back once. */
    private void end() {
        if (ended) return;
        ended = true;
        streams.ignore(wake);
        if (heartbeat != null) heartbeat.cancel(false);
        if (lifetime != null) lifetime.cancel(false);
        ex.onWritable(null);
        // The slot first: ending the answer can start the connection's next request at once (another stream, say).
        streams.release();
        ex.endChunks();
    }

    private void send(String text) {
        ex.writeChunk(text.getBytes(UTF_8));
        lastSentNanos = System.nanoTime();
    }

    private static void event(StringBuilder events, long sequence, String json) {
        events.append("id: ").append(sequence).append('\n').append("data: ").append(oneLine(json)).append("\n\n");
    }

    /** The stored report, which is compact already; one holding a line break is written again on one line. */
    static String oneLine(String json) {
        if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) return json;
        try {
            return Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored report is not JSON", e);
        }
    }
}
