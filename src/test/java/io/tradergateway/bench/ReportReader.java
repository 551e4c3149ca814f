package io.tradergateway.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A pull consumer: follows {@code GET /v1/exec-reports?after=N} pages on its own thread and notes, per plan, when
 * its terminal report was first readable ({@link System#nanoTime()} when the page arrived). Polls again at once
 * while pages come back full of news, and pauses {@value #IDLE_PAUSE_MICROS} µs after an empty page, so the
 * "seen" time is late by at most one pause plus one GET.
 */
final class ReportReader implements AutoCloseable {
    static final long IDLE_PAUSE_MICROS = 500;

    /** What the benchmark keeps of one terminal report. */
    record Seen(long atNanos, String status, long latencyMs, String venue) {
    }

    private final BenchHarness h;
    private final HttpClient http = BenchHarness.newClient();
    private final String planPrefix;
    private final Map<String, Seen> terminal = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long cursor;
    private volatile RuntimeException failure;
    private long polls;

    ReportReader(BenchHarness h, String planPrefix, long startAfter) {
        this.h = h;
        this.planPrefix = planPrefix;
        this.cursor = startAfter;
        this.thread = new Thread(this::run, "bench-report-reader");
        thread.setDaemon(true);
    }

    ReportReader start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                JsonNode page = h.get(http, "/v1/exec-reports?after=" + cursor + "&limit=1000");
                long now = System.nanoTime();
                polls++;
                JsonNode reports = page.path("reports");
                for (JsonNode r : reports) {
                    String plan = r.path("plan_id").asText();
                    String status = r.path("status").asText();
                    if (!plan.startsWith(planPrefix) || status.equals("partial")) continue;
                    terminal.putIfAbsent(plan, new Seen(now, status, r.path("latency_ms").asLong(-1), r.path("venue").asText()));
                }
                cursor = page.path("last_sequence").asLong(cursor);
                if (reports.isEmpty()) LockSupport.parkNanos(IDLE_PAUSE_MICROS * 1_000);
            }
        } catch (RuntimeException e) {
            if (running) failure = e;
        }
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
