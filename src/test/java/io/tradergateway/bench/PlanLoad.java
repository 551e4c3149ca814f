package io.tradergateway.bench;

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
 */
final class PlanLoad implements AutoCloseable {
    private final List<RawHttpConnection> connections = new ArrayList<>();
    private final ExecutorService pool;
    private final IntFunction<String> body;
    private final long[] postStart;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicReference<String> firstRefusal = new AtomicReference<>();

    /**
     * @param body      the JSON of plan number i (built when posted, so that a long run's plans are not stale)
     * @param postStart where each plan's POST start is stamped, by plan number
     */
    PlanLoad(int httpPort, String token, int clients, IntFunction<String> body, long[] postStart) {
        this.body = body;
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
                for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                    String json = body.apply(i);
                    postStart[i] = System.nanoTime();
                    RawHttpConnection.Response r = connection.post("/v1/plans", json);
                    if (r.status() != 202 && refused.getAndIncrement() == 0) {
                        firstRefusal.set("plan " + i + ": HTTP " + r.status() + " " + r.text());
                    }
                }
                return null;
            });
        }
        for (Future<Void> f : pool.invokeAll(work)) f.get();
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
