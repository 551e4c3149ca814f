package io.tradergateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The gateway's load generator: closed-loop clients, each on its own thread ({@code bench-load-N}) with its own
 * keep-alive {@link RawHttpConnection}, posting plans by number (POST, read the answer, POST the next) until a range
 * is done. Stamps each plan's POST start ({@link System#nanoTime()}) in a caller's array, indexed by plan number.
 * {@link #oneAtATime} makes a one-client load wait for each plan's end before the next POST.
 */
final class PlanLoad implements AutoCloseable {
    private final List<RawHttpConnection> connections = new ArrayList<>();
    private final ExecutorService pool;
    private final IntFunction<String> body;
    /** Plans per request: 1 = one plan per POST ({@code application/json}); more = NDJSON batches. */
    private final int batch;
    private final long[] postStart;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicReference<String> firstRefusal = new AtomicReference<>();
    /** Set by {@link #oneAtATime}: each plan's end is awaited before the next POST (a round trip, as the bare client's). */
    private FilledTimes awaitEach;
    private Duration stall;

    /**
     * @param body      the JSON of plan number i (built when posted, so that a long run's plans are not stale)
     * @param postStart where each plan's POST start is stamped, by plan number
     */
    PlanLoad(int httpPort, String token, int clients, IntFunction<String> body, long[] postStart) {
        this(httpPort, token, clients, 1, body, postStart);
    }

    PlanLoad(int httpPort, String token, int clients, int batch, IntFunction<String> body, long[] postStart) {
        this.body = body;
        this.batch = batch;
        this.postStart = postStart;
        AtomicInteger names = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "bench-load-" + names.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        for (int c = 0; c < clients; c++) connections.add(new RawHttpConnection(httpPort, token));
    }

    /** Posts plans {@code from} (inclusive) to {@code to} (exclusive) over every client; returns when all are answered. */
    void post(int from, int to) throws InterruptedException, ExecutionException {
        AtomicInteger next = new AtomicInteger(from);
        List<Callable<Void>> work = new ArrayList<>();
        for (RawHttpConnection connection : connections) {
            work.add(() -> {
                if (batch > 1) {
                    postBatches(connection, next, to);
                    return null;
                }
                for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                    String json = body.apply(i);
                    postStart[i] = System.nanoTime();
                    RawHttpConnection.Response r = connection.post("/v1/plans", json);
                    if (r.status() != 202 && refused.getAndIncrement() == 0) {
                        firstRefusal.set("plan " + i + ": HTTP " + r.status() + " " + r.text());
                    }
                    if (awaitEach != null && r.status() == 202 && awaitEach.awaitEnded(i + 1, stall, true) < i + 1) return null;
                }
                return null;
            });
        }
        for (Future<Void> f : pool.invokeAll(work)) f.get();
    }

    /** Closed loop over NDJSON batches of {@code batch} plans; every plan's POST start is its batch's. */
    private void postBatches(RawHttpConnection connection, AtomicInteger next, int to) {
        for (int first = next.getAndAdd(batch); first < to; first = next.getAndAdd(batch)) {
            int end = Math.min(to, first + batch);
            StringBuilder lines = new StringBuilder(end - first << 10);
            for (int i = first; i < end; i++) lines.append(body.apply(i)).append('\n');
            long start = System.nanoTime();
            for (int i = first; i < end; i++) postStart[i] = start;
            RawHttpConnection.Response r = connection.postLines("/v1/plans", lines.toString());
            String answer = r.text();
            int accepted = answer.split("\"status\":202", -1).length - 1;
            if ((r.status() != 200 || accepted != end - first) && refused.getAndAdd(end - first - accepted) == 0) {
                firstRefusal.set("plans " + first + ".." + (end - 1) + ": HTTP " + r.status() + " " + answer);
            }
        }
    }

    /**
     * Makes this (one-client) load post a plan only once the previous one ended: POST → {@code filled} is then a
     * round trip with nothing else in flight, as the bare QuickFIX/J client's send → terminal ExecutionReport. Plans
     * are numbered from 0 and all earlier ones have ended, so plan i has ended once i + 1 have.
     */
    PlanLoad oneAtATime(FilledTimes times, Duration stall) {
        if (connections.size() != 1 || batch != 1) {
            throw new IllegalStateException("one plan at a time needs one client, no batches");
        }
        this.awaitEach = times;
        this.stall = stall;
        return this;
    }

    int clients() {
        return connections.size();
    }

    /** POSTs answered with anything but 202. */
    int refused() {
        return refused.get();
    }

    String firstRefusal() {
        return firstRefusal.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        connections.forEach(RawHttpConnection::close);
    }
}
