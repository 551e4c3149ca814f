package io.tradergateway.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A pull consumer: follows {@code GET /v1/exec-reports?after=N} pages on its own thread and notes, per plan, when
 * its terminal report was first readable ({@link System#nanoTime()} when the page arrived). Polls again at once
 * while pages come back full of news, and pauses {@value #IDLE_PAUSE_MICROS} µs after an empty page, so the
 * "seen" time is late by at most one pause plus one GET. The pages come from the JDK {@link HttpClient} or from
 * any other source (a raw keep-alive socket: {@link RawHttpConnection}); each report goes to a {@link Sink}, by
 * default one that keeps the plan's first terminal report ({@link #seen}).
 */
final class ReportReader implements AutoCloseable {
    static final long IDLE_PAUSE_MICROS = 500;

    /** What the benchmark keeps of one terminal report. */
    record Seen(long atNanos, String status, long latencyMs, String venue) {
    }

    /** Takes every report read, on the reader's thread, with the time its page arrived. */
    interface Sink {
        void accept(JsonNode report, long seenAtNanos);
    }

    private final Function<String, JsonNode> pages;
    private final Sink sink;
    private final Map<String, Seen> terminal = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long cursor;
    private volatile RuntimeException failure;
    private long polls;

    /** Over the JDK HTTP client; keeps each plan's (of the prefix) first terminal report. */
    ReportReader(BenchHarness h, String planPrefix, long startAfter) {
        HttpClient http = BenchHarness.newClient();
        this.pages = path -> h.get(http, path);
        this.sink = (r, now) -> keepTerminal(planPrefix, r, now);
        this.cursor = startAfter;
        this.thread = readerThread();
    }

    /** Over any page source; every report goes to the sink ({@link #seen} stays empty). */
    ReportReader(Function<String, JsonNode> pages, long startAfter, Sink sink) {
        this.pages = pages;
        this.sink = sink;
        this.cursor = startAfter;
        this.thread = readerThread();
    }

    private Thread readerThread() {
        Thread t = new Thread(this::run, "bench-report-reader");
        t.setDaemon(true);
        return t;
    }

    ReportReader start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                JsonNode page = pages.apply("/v1/exec-reports?after=" + cursor + "&limit=1000");
                long now = System.nanoTime();
                polls++;
                JsonNode reports = page.path("reports");
                for (JsonNode r : reports) sink.accept(r, now);
                cursor = page.path("last_sequence").asLong(cursor);
                if (reports.isEmpty()) LockSupport.parkNanos(IDLE_PAUSE_MICROS * 1_000);
            }
        } catch (RuntimeException e) {
            if (running) failure = e;
        }
    }

    private void keepTerminal(String planPrefix, JsonNode r, long now) {
        String plan = r.path("plan_id").asText();
        String status = r.path("status").asText();
        if (!plan.startsWith(planPrefix) || status.equals("partial")) return;
        terminal.putIfAbsent(plan, new Seen(now, status, r.path("latency_ms").asLong(-1), r.path("venue").asText()));
    }

    Seen seen(String planId) {
        return terminal.get(planId);
    }

    int seenCount() {
        throwIfFailed();
        return terminal.size();
    }

    long cursor() {
        return cursor;
    }

    long polls() {
        return polls;
    }

    void throwIfFailed() {
        if (failure != null) throw new IllegalStateException("report reader failed: " + failure, failure);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
