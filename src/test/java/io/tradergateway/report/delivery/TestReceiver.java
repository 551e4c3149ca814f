package io.tradergateway.report.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer endpoint on a free local port. Records every push it answered 200 ({@link #acceptedBatches()}) and
 * counts the ones it refused; can answer 503, refuse the batches holding one report, block until released, or stop
 * listening and come back on the same port.
 */
final class TestReceiver implements AutoCloseable {

    /** One received push as seen on the wire. */
    record Push(String consumer, String contentType, long headerFrom, long headerTo, List<Long> sequences, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String consumer;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-receiver");
        t.setDaemon(true);
        return t;
    });
    private final List<Push> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger arrivals = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean unavailable;
    private volatile long poisonSequence = -1;
    private volatile int poisonStatus;
    private volatile boolean blocking;
    private final int port;
    private HttpServer server;

    TestReceiver(String consumer) throws IOException {
        this.consumer = consumer;
        this.server = listen(0);
        this.port = server.getAddress().getPort();
    }

    private HttpServer listen(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        s.createContext("/reports", this::handle);
        s.setExecutor(handlers);
        s.start();
        return s;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            arrivals.incrementAndGet();
            if (blocking) {
                try {
                    released.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (unavailable) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            String body = new String(raw, StandardCharsets.UTF_8);
            JsonNode root = JSON.readTree(body);
            List<Long> sequences = new ArrayList<>();
            root.get("reports").forEach(r -> sequences.add(r.get("sequence").asLong()));
            if (sequences.contains(poisonSequence)) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(poisonStatus, -1);
                return;
            }
            accepted.add(new Push(root.get("consumer").asText(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    Long.parseLong(exchange.getRequestHeaders().getFirst(ReportDispatcher.HEADER_SEQUENCE_FROM)),
                    Long.parseLong(exchange.getRequestHeaders().getFirst(ReportDispatcher.HEADER_SEQUENCE_TO)),
                    List.copyOf(sequences), body));
            exchange.sendResponseHeaders(200, -1);
        }
    }

    ConsumerEndpoint endpoint() {
        return new ConsumerEndpoint(consumer, URI.create("http://127.0.0.1:" + port + "/reports"), Duration.ofSeconds(5));
    }

    ConsumerEndpoint endpoint(Duration timeout) {
        return new ConsumerEndpoint(consumer, URI.create("http://127.0.0.1:" + port + "/reports"), timeout);
    }

    /** Answer 503 to every push (true) or accept again (false). */
    void unavailable(boolean value) {
        unavailable = value;
    }

    /** Answer {@code status} to every push that contains {@code sequence}; −1 accepts them again. */
    void refuseBatchesContaining(long sequence, int status) {
        poisonStatus = status;
        poisonSequence = sequence;
    }

    /** Hold every push until {@link #release()}. */
    void blockUntilReleased() {
        blocking = true;
    }

    void release() {
        blocking = false;
        released.countDown();
    }

    /** Stop listening: pushes now fail with a refused connection. */
    synchronized void stopListening() {
        server.stop(0);
    }

    /** Listen again on the same port. */
    synchronized void listenAgain() throws IOException {
        server = listen(port);
    }

    List<Push> acceptedBatches() {
        return List.copyOf(accepted);
    }

    /** Every accepted sequence in arrival order. */
    List<Long> acceptedSequences() {
        return accepted.stream().flatMap(p -> p.sequences().stream()).toList();
    }

    long highestAccepted() {
        return acceptedSequences().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    int refusedCount() {
        return refused.get();
    }

    int arrivals() {
        return arrivals.get();
    }

    @Override
    public synchronized void close() {
        release();
        server.stop(0);
        handlers.shutdownNow();
    }
}
