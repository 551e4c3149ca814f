package io.tradergateway.intake;

import io.tradergateway.report.Json;
import io.tradergateway.report.delivery.OutboxEntry;
import io.tradergateway.report.delivery.ReportDispatcher;
import io.tradergateway.report.delivery.ReportOutbox;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One {@code GET /v1/exec-reports/stream} answer ({@code text/event-stream}): every stored report after the client's
 * cursor as an event ({@code id:} its sequence, {@code data:} the report on one line), then each new one once it is
 * committed. It sleeps on {@link ReportStreams} between commits, sends {@code : keep-alive} after a quiet
 * {@link ReportStreams#heartbeat}, and ends itself cleanly after {@link ReportStreams#lifetime} or when the API stops.
 * A client that hangs up surfaces as the {@link IOException} of the next write.
 */
final class ExecReportStream {
    /** Reports read from the outbox per query. */
    static final int PAGE = 500;
    /** What the stream tells a client to wait before reconnecting once it ends ({@code retry:}, milliseconds). */
    static final int RETRY_MS = 1000;

    private final ReportStreams streams;
    private final ReportOutbox outbox;
    private final OutputStream out;
    private long cursor;

    private ExecReportStream(ReportStreams streams, ReportOutbox outbox, OutputStream out, long after) {
        this.streams = streams;
        this.outbox = outbox;
        this.out = out;
        this.cursor = after;
    }

    /** Answers the exchange with the stream of reports after {@code after}; returns when the stream ends. */
    static void serve(ApiExchange ex, ReportStreams streams, ReportOutbox outbox, long after)
            throws IOException, InterruptedException {
        ex.responseHeader("Cache-Control", "no-cache");
        // nginx would otherwise buffer the answer and hold the events back.
        ex.responseHeader("X-Accel-Buffering", "no");
        try (OutputStream body = ex.openStream(200, "text/event-stream")) {
            new ExecReportStream(streams, outbox, body, after).run();
        }
    }

    private void run() throws IOException, InterruptedException {
        write("retry: " + RETRY_MS + "\n\n");
        long end = System.nanoTime() + streams.lifetime.toNanos();
        long beatAt = System.nanoTime() + streams.heartbeat.toNanos();
        while (!streams.closed() && end - System.nanoTime() > 0) {
            // Read before looking at the outbox: whatever is committed up to here is in the page that follows.
            long seen = streams.latest();
            if (sendPage()) {
                beatAt = System.nanoTime() + streams.heartbeat.toNanos();
                continue;
            }
            if (beatAt - System.nanoTime() <= 0) {
                write(": keep-alive\n\n");
                beatAt = System.nanoTime() + streams.heartbeat.toNanos();
            }
            streams.awaitAbove(seen, Duration.ofNanos(Math.max(1, Math.min(beatAt, end) - System.nanoTime())));
        }
    }

    /** Sends the next page of stored reports, if any; false when there was nothing after the cursor. */
    private boolean sendPage() throws IOException {
        List<Map.Entry<Long, String>> recent = streams.recentAfter(cursor, PAGE);
        if (recent != null) {
            if (recent.isEmpty()) return false;
            StringBuilder events = new StringBuilder();
            for (Map.Entry<Long, String> e : recent) event(events, e.getKey(), e.getValue());
            write(events.toString());
            cursor = recent.get(recent.size() - 1).getKey();
            return true;
        }
        List<OutboxEntry> page = ReportDispatcher.page(outbox, cursor, PAGE);
        if (page.isEmpty()) return false;
        StringBuilder events = new StringBuilder();
        for (OutboxEntry e : page) event(events, e.sequence(), e.json());
        write(events.toString());
        cursor = page.get(page.size() - 1).sequence();
        return true;
    }

    private static void event(StringBuilder events, long sequence, String json) throws IOException {
        events.append("id: ").append(sequence).append('\n').append("data: ").append(oneLine(json)).append("\n\n");
    }

    /** The stored report, which is compact already; one holding a line break is written again on one line. */
    static String oneLine(String json) throws IOException {
        if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) return json;
        return Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(json));
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(UTF_8));
        out.flush();
    }
}
