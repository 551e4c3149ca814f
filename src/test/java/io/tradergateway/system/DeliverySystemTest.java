package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tradergateway.report.Json;
import io.tradergateway.simvenue.VenueProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exec-report delivery to the three consumers end to end: real local HTTP receivers, the gateway pushing from its
 * outbox. A consumer that is down (answering 503, not answering at all, or not listening, even across a gateway
 * restart) catches up in sequence order with no gap, while trading and the others go on; consumers can also pull.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeliverySystemTest {
    /** consumer.timeout.ms of these tests: a consumer that does not answer within it is retried with back-off. */
    static final Duration CONSUMER_TIMEOUT = Duration.ofSeconds(2);
    /** How soon a filled plan's report is readable, whatever the consumers do (the harness allows 30 s for slow starts). */
    static final Duration PROMPTLY = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    GatewayHarness h;
    final Map<String, Receiver> receivers = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        for (String consumer : List.of("alpha_detector", "decision_maker", "learning_systems")) {
            receivers.put(consumer, Receiver.start(0));
        }
        Map<String, URI> urls = new LinkedHashMap<>();
        receivers.forEach((consumer, r) -> urls.put(consumer, r.uri()));
        h = GatewayHarness.start(dir, sim -> sim.withEveryProfile(VenueProfile::predictable),
                gw -> gw.withConsumerUrls(urls).withConsumerTimeout(CONSUMER_TIMEOUT));
    }

    @AfterEach
    void stop() {
        try {
            if (h != null) h.close();
        } finally {
            receivers.values().forEach(Receiver::stop);
        }
    }

    @Test
    void aConsumerAnswering503CatchesUpInOrderWhileTheOthersKeepReceiving() {
        Receiver down = receivers.get("decision_maker");
        down.answer(503);

        List<String> plans = List.of("dlv-1", "dlv-2", "dlv-3", "dlv-4");
        for (String id : plans) {
            assertThat(h.post("/v1/plans", Plans.market(id, "AAPL", "long")).status()).isEqualTo(202);
            h.awaitReport(id, r -> r.path("status").asText().equals("filled"));
        }
        // A plan refused by validation is a report too.
        ObjectNode tooBig = Plans.market("dlv-bad", "AAPL", "long");
        tooBig.put("position_size", 10.0);
        assertThat(h.post("/v1/plans", tooBig).status()).isEqualTo(422);
        long n = h.reports().size();
        assertThat(n).isEqualTo(5);

        // The two consumers that are up got everything while the third was down...
        for (String consumer : List.of("alpha_detector", "learning_systems")) {
            Receiver r = receivers.get(consumer);
            await().atMost(GatewayHarness.WAIT).until(() -> r.acknowledged().size() == n);
        }
        // ...which was tried (and refused) without its cursor moving.
        await().atMost(GatewayHarness.WAIT).until(() -> down.refused().size() >= 2);
        assertThat(down.acknowledged()).isEmpty();
        assertThat(down.refused()).allMatch(b -> b.from() == 1);

        down.answer(200);
        await().atMost(GatewayHarness.WAIT).until(() -> down.acknowledged().size() == n);

        for (Map.Entry<String, Receiver> e : receivers.entrySet()) {
            assertInOrderNoGap(e.getKey(), e.getValue(), n);
        }
        // The pushed reports are the ones the pull API serves (numbers compared by value: the pull API re-renders them).
        List<JsonNode> pulled = h.reports();
        for (int i = 0; i < n; i++) {
            assertThat(down.reports().get(i).equals(NUMBERS_BY_VALUE, pulled.get(i)))
                    .as("report #%d pushed %s pulled %s", i + 1, down.reports().get(i), pulled.get(i)).isTrue();
        }
    }

    @Test
    void aConsumerThatStoppedListeningCatchesUpAfterAGatewayRestart() {
        Receiver learning = receivers.get("learning_systems");
        assertThat(h.post("/v1/plans", Plans.market("dlv-r1", "MSFT", "long")).status()).isEqualTo(202);
        h.awaitReport("dlv-r1", r -> r.path("status").asText().equals("filled"));
        receivers.values().forEach(r -> await().atMost(GatewayHarness.WAIT).until(() -> r.acknowledged().size() == 1));

        // The consumer goes away entirely (connection refused), then the gateway is restarted while it is away.
        int port = learning.port();
        learning.stop();
        for (String id : List.of("dlv-r2", "dlv-r3")) {
            assertThat(h.post("/v1/plans", Plans.market(id, "MSFT", "long")).status()).isEqualTo(202);
            h.awaitReport(id, r -> r.path("status").asText().equals("filled"));
        }
        for (String consumer : List.of("alpha_detector", "decision_maker")) {
            await().atMost(GatewayHarness.WAIT).until(() -> receivers.get(consumer).acknowledged().size() == 3);
        }
        h.restartGateway();
        assertThat(h.post("/v1/plans", Plans.market("dlv-r4", "MSFT", "long")).status()).isEqualTo(202);
        h.awaitReport("dlv-r4", r -> r.path("status").asText().equals("filled"));
        long n = h.reports().size();
        assertThat(n).isEqualTo(4);
        for (String consumer : List.of("alpha_detector", "decision_maker")) {
            await().atMost(GatewayHarness.WAIT).until(() -> receivers.get(consumer).acknowledged().size() == n);
        }

        // Back on the same address: it gets 2..4 from the cursor stored before the restart, not 1 again.
        Receiver back = await().atMost(GatewayHarness.WAIT).ignoreExceptions().until(() -> Receiver.start(port), r -> r != null);
        receivers.put("learning_systems", back);
        await().atMost(GatewayHarness.WAIT).until(() -> back.acknowledged().size() == n - 1);
        assertThat(back.acknowledged()).containsExactly(2L, 3L, 4L);
        assertThat(learning.acknowledged()).containsExactly(1L);
        // The others were not sent again what they had acknowledged before the restart.
        assertInOrderNoGap("alpha_detector", receivers.get("alpha_detector"), n);
        assertInOrderNoGap("decision_maker", receivers.get("decision_maker"), n);
    }

    @Test
    void aConsumerThatNeverAnswersHoldsUpNeitherTradingNorTheOthersAndCatchesUpWhenItAnswers() {
        Receiver hanging = receivers.get("alpha_detector");
        hanging.hang();
        assertThat(h.post("/v1/plans", Plans.market("slow-1", "AAPL", "long")).status()).isEqualTo(202);
        // Its first push is accepted on the socket and held unanswered.
        await().atMost(GatewayHarness.WAIT).until(() -> hanging.batches().size() >= 1);

        List<String> plans = List.of("slow-1", "slow-2", "slow-3", "slow-4", "slow-5", "slow-6");
        for (String id : plans.subList(1, plans.size())) {
            assertThat(h.post("/v1/plans", Plans.market(id, "MSFT", "short")).status()).isEqualTo(202);
        }
        // Trading goes on: every plan fills and its report is committed and readable at once.
        for (String id : plans) {
            await().atMost(PROMPTLY).until(() -> h.reportsOf(id).stream().anyMatch(r -> r.path("status").asText().equals("filled")));
        }
        long n = h.reports().size();
        assertThat(n).isGreaterThanOrEqualTo(plans.size());
        // The other two receive every report in order while the hanging one is still held up...
        for (String consumer : List.of("decision_maker", "learning_systems")) {
            await().atMost(PROMPTLY).until(() -> receivers.get(consumer).acknowledged().size() == n);
            assertInOrderNoGap(consumer, receivers.get(consumer), n);
        }
        // ...which timed out, is retried from its cursor (still 0), and shows as down with its whole lag.
        await().atMost(GatewayHarness.WAIT).until(() -> consumer("alpha_detector").path("consecutive_failures").asInt() >= 1);
        assertThat(hanging.acknowledged()).isEmpty();
        JsonNode down = consumer("alpha_detector");
        assertThat(down.path("state").asText()).isEqualTo("down");
        assertThat(down.path("cursor").asLong()).isZero();
        assertThat(down.path("lag").asLong()).isEqualTo(n);
        assertThat(down.path("last_error").asText()).isEqualTo("no response within " + CONSUMER_TIMEOUT);
        assertThat(consumer("decision_maker").path("state").asText()).isEqualTo("up");
        assertThat(consumer("decision_maker").path("lag").asLong()).isZero();
        // Prometheus text from Micrometer: values are doubles ("0.0").
        String metrics = h.metrics();
        assertThat(metrics).contains("trader_consumer_lag{consumer=\"alpha_detector\"} " + n + ".0\n",
                "trader_consumer_lag{consumer=\"decision_maker\"} 0.0\n", "trader_consumer_lag{consumer=\"learning_systems\"} 0.0\n",
                "trader_consumer_up{consumer=\"alpha_detector\"} 0.0\n", "trader_consumer_up{consumer=\"decision_maker\"} 1.0\n");
        assertThat(hanging.batches()).allMatch(b -> b.from() == 1 && b.status() == Receiver.NO_ANSWER);

        // It starts answering: it catches up from its cursor, in order, with no gap, and shows as up again.
        hanging.answer(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> hanging.acknowledged().size() == n);
        assertInOrderNoGap("alpha_detector", hanging, n);
        await().atMost(GatewayHarness.WAIT).until(() -> consumer("alpha_detector").path("state").asText().equals("up"));
        assertThat(consumer("alpha_detector").path("lag").asLong()).isZero();
        assertThat(h.metrics()).contains("trader_consumer_lag{consumer=\"alpha_detector\"} 0.0\n", "trader_consumer_up{consumer=\"alpha_detector\"} 1.0\n");
    }

    @Test
    void consumersCanPullPagesAfterASequence() {
        for (String id : List.of("pull-1", "pull-2", "pull-3")) {
            assertThat(h.post("/v1/plans", Plans.market(id, "SPY", "short")).status()).isEqualTo(202);
            h.awaitReport(id, r -> r.path("status").asText().equals("filled"));
        }
        JsonNode page = h.get("/v1/exec-reports?after=1&limit=1").body();
        assertThat(page.path("reports")).hasSize(1);
        assertThat(page.path("reports").get(0).path("sequence").asLong()).isEqualTo(2);
        assertThat(page.path("reports").get(0).path("plan_id").asText()).isEqualTo("pull-2");
        assertThat(page.path("last_sequence").asLong()).isEqualTo(2);

        JsonNode rest = h.get("/v1/exec-reports?after=" + page.path("last_sequence").asLong() + "&limit=10").body();
        assertThat(rest.path("reports").findValuesAsText("plan_id")).containsExactly("pull-3");
        assertThat(rest.path("last_sequence").asLong()).isEqualTo(3);

        JsonNode none = h.get("/v1/exec-reports?after=3&limit=10").body();
        assertThat(none.path("reports")).isEmpty();
        assertThat(none.path("last_sequence").asLong()).isEqualTo(3);
        assertThat(h.get("/v1/exec-reports?after=x").status()).isEqualTo(400);
    }

    // ---------------------------------------------------------------- checks

    /** The consumer's entry in {@code GET /v1/consumers}. */
    private JsonNode consumer(String name) {
        for (JsonNode c : h.get("/v1/consumers").body().path("consumers")) {
            if (c.path("consumer").asText().equals(name)) return c;
        }
        throw new AssertionError("GET /v1/consumers does not list " + name);
    }

    /** 0 for equal nodes, and for numbers of equal value whatever their text (190, 190.00, 1.9E+2). */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
        return a.equals(b) ? 0 : 1;
    };

    /**
     * Acknowledged batches: each contiguous, headers matching the body, together exactly 1..n in order. Every push
     * (acknowledged or refused) starts right after the last acknowledged one: a refused batch is sent again whole,
     * nothing is skipped or reordered.
     */
    private static void assertInOrderNoGap(String consumer, Receiver r, long n) {
        assertThat(r.acknowledged()).as(consumer).containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
        long acknowledgedUpTo = 0;
        for (Batch b : r.batches()) {
            assertThat(b.consumer()).as(consumer).isEqualTo(consumer);
            assertThat(b.sequences()).as(consumer + " batch").isNotEmpty();
            assertThat(b.from()).as(consumer + " batch start").isEqualTo(acknowledgedUpTo + 1);
            assertThat(b.sequences().get(0)).isEqualTo(b.from());
            assertThat(b.sequences().get(b.sequences().size() - 1)).isEqualTo(b.to());
            for (int i = 1; i < b.sequences().size(); i++) {
                assertThat(b.sequences().get(i)).isEqualTo(b.sequences().get(i - 1) + 1);
            }
            if (b.status() == 200) acknowledgedUpTo = b.to();
        }
    }

    // ---------------------------------------------------------------- a consumer

    record Batch(String consumer, long from, long to, List<Long> sequences, List<JsonNode> reports, int status) {
    }

    /**
     * A consumer endpoint: records every push it gets and answers with the configured status, or ({@link #hang()})
     * holds each push unanswered, connection open, until it is told to answer again or stopped.
     */
    static final class Receiver {
        /** Status recorded for a push that was held and never answered. */
        static final int NO_ANSWER = 0;

        private final HttpServer server;
        private final ExecutorService handlers = Executors.newCachedThreadPool();
        private final List<Batch> batches = new CopyOnWriteArrayList<>();
        private volatile int status = 200;
        private volatile CountDownLatch hold = new CountDownLatch(0);

        private Receiver(HttpServer server) {
            this.server = server;
        }

        static Receiver start(int port) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
                Receiver r = new Receiver(server);
                server.createContext("/", r::handle);
                server.setExecutor(r.handlers);
                server.start();
                return r;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void handle(HttpExchange ex) throws IOException {
            try (InputStream in = ex.getRequestBody()) {
                JsonNode body = Json.MAPPER.readTree(in.readAllBytes());
                List<Long> sequences = new ArrayList<>();
                List<JsonNode> reports = new ArrayList<>();
                body.path("reports").forEach(rep -> {
                    sequences.add(rep.path("sequence").asLong());
                    reports.add(rep);
                });
                CountDownLatch held = hold;
                int answer = held.getCount() > 0 ? NO_ANSWER : status;
                batches.add(new Batch(body.path("consumer").asText(),
                        Long.parseLong(ex.getRequestHeaders().getFirst("X-Report-Sequence-From")),
                        Long.parseLong(ex.getRequestHeaders().getFirst("X-Report-Sequence-To")),
                        List.copyOf(sequences), List.copyOf(reports), answer));
                if (answer == NO_ANSWER) {
                    awaitQuietly(held); // then closed without an answer: the gateway has long given up on it
                } else {
                    ex.sendResponseHeaders(answer, -1);
                }
            } finally {
                ex.close();
            }
        }

        void answer(int httpStatus) {
            status = httpStatus;
            hold.countDown();
        }

        /** Accept each push and never answer it, until {@link #answer} or {@link #stop}. */
        void hang() {
            hold = new CountDownLatch(1);
        }

        private static void awaitQuietly(CountDownLatch latch) {
            try {
                latch.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + port() + "/exec-reports");
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<Batch> batches() {
            return List.copyOf(batches);
        }

        List<Batch> refused() {
            return batches.stream().filter(b -> b.status() != 200).toList();
        }

        /** Sequences of the acknowledged pushes, in arrival order (duplicates kept). */
        List<Long> acknowledged() {
            return batches.stream().filter(b -> b.status() == 200).flatMap(b -> b.sequences().stream()).toList();
        }

        List<JsonNode> reports() {
            return batches.stream().filter(b -> b.status() == 200).flatMap(b -> b.reports().stream()).toList();
        }

        void stop() {
            hold.countDown();
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
