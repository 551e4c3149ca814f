package io.tradergateway.report.delivery;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tradergateway.report.delivery.DeliveryAssertions.AWAIT;
import static io.tradergateway.report.delivery.DeliveryAssertions.assertInOrderWithoutGaps;
import static io.tradergateway.report.delivery.DeliveryAssertions.awaitCursors;
import static io.tradergateway.report.delivery.DeliveryAssertions.range;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures other than a consumer refusing: broken collaborators, a broken stored report, a timeout. */
@Timeout(30)
class ReportDispatcherFaultTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    private static final DeliveryPolicy POLICY =
            new DeliveryPolicy(10, Duration.ofMillis(20), Duration.ofMillis(200), 0.2, Duration.ofMinutes(1));

    private final InMemoryReportOutbox outbox = new InMemoryReportOutbox();
    private final InMemoryCursorStore cursors = new InMemoryCursorStore();
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    @AfterEach
    void closeEverything() throws Exception {
        while (!toClose.isEmpty()) toClose.pop().close();
    }

    @Test
    void outboxReadFailuresAreRetriedAndDeliveryResumesWhenTheOutboxIsBack() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        outbox.appendUpTo(5);
        FlakyOutbox flaky = new FlakyOutbox(outbox);
        flaky.failing = true;
        ReportDispatcher dispatcher = track(new ReportDispatcher(flaky, cursors, List.of(alpha.endpoint()), POLICY, CLOCK));
        dispatcher.start();

        await().atMost(AWAIT).until(() -> dispatcher.status().get("alpha_detector").consecutiveFailures() >= 2);
        ConsumerStatus stalled = dispatcher.status().get("alpha_detector");
        assertEquals(ConsumerStatus.State.DOWN, stalled.state());
        assertEquals("outbox read failed: IllegalStateException: database unavailable", stalled.lastError());
        assertEquals(-1, stalled.lag(), "lag unknown while the outbox cannot be read");

        flaky.failing = false;
        awaitCursors(dispatcher, 5, "alpha_detector");
        assertEquals(range(1, 5), alpha.acceptedSequences());
        assertEquals(ConsumerStatus.State.UP, dispatcher.status().get("alpha_detector").state());
    }

    @Test
    void aBrokenStoredReportStopsDeliveryAtItAndNothingAfterItIsSkippedPast() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        outbox.put(1);
        outbox.putRaw(new OutboxEntry(2, "rep-2", "{\"report_id\":\"rep-2\","));
        outbox.put(3);
        ReportDispatcher dispatcher = track(new ReportDispatcher(outbox, cursors, List.of(alpha.endpoint()), POLICY, CLOCK));
        dispatcher.start();

        awaitCursors(dispatcher, 1, "alpha_detector");
        await().atMost(AWAIT).until(() -> dispatcher.status().get("alpha_detector").consecutiveFailures() >= 2);
        ConsumerStatus stalled = dispatcher.status().get("alpha_detector");
        assertEquals(1, stalled.cursor());
        assertTrue(stalled.lastError().startsWith("outbox entry sequence 2 (report rep-2) is not a valid JSON object"),
                stalled.lastError());
        assertEquals(List.of(1L), alpha.acceptedSequences());

        outbox.put(2); // repaired
        awaitCursors(dispatcher, 3, "alpha_detector");
        assertEquals(List.of(List.of(1L), List.of(2L, 3L)),
                alpha.acceptedBatches().stream().map(TestReceiver.Push::sequences).toList());
    }

    @Test
    void aCursorThatCannotBeStoredDoesNotStopDeliveryAndOnlyCostsARe_sendAfterRestart() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        outbox.appendUpTo(15);
        FailingSaveStore store = new FailingSaveStore(cursors);
        store.failing = true;
        ReportDispatcher first = new ReportDispatcher(outbox, store, List.of(alpha.endpoint()), POLICY, CLOCK);
        first.start();
        awaitCursors(first, 15, "alpha_detector");
        first.close();
        assertEquals(0, cursors.load("alpha_detector"));
        assertEquals(ConsumerStatus.State.UP, first.status().get("alpha_detector").state());

        store.failing = false;
        ReportDispatcher second = track(new ReportDispatcher(outbox, store, List.of(alpha.endpoint()), POLICY, CLOCK));
        second.start();
        awaitCursors(second, 15, "alpha_detector");
        assertEquals(15, cursors.load("alpha_detector"));
        // at least once: what was delivered but not recorded comes again, whole batches in order
        assertEquals(List.of(range(1, 10), range(11, 15), range(1, 10), range(11, 15)),
                alpha.acceptedBatches().stream().map(TestReceiver.Push::sequences).toList());
        assertInOrderWithoutGaps(alpha.acceptedBatches(), 15);
    }

    @Test
    void aTimedOutPushIsSentAgainAsTheSameWholeBatch() throws Exception {
        TestReceiver slow = receiver("decision_maker");
        slow.blockUntilReleased();
        outbox.appendUpTo(5);
        ReportDispatcher dispatcher = track(new ReportDispatcher(outbox, cursors,
                List.of(slow.endpoint(Duration.ofMillis(300))), POLICY, CLOCK));
        dispatcher.start();

        await().atMost(AWAIT).until(() -> dispatcher.status().get("decision_maker").consecutiveFailures() >= 1);
        assertEquals("no response within PT0.3S", dispatcher.status().get("decision_maker").lastError());

        slow.release();
        awaitCursors(dispatcher, 5, "decision_maker");
        // The handler processed the timed-out push too (the consumer saw it, we never saw its answer).
        await().atMost(AWAIT).until(() -> slow.acceptedBatches().size() >= 2);
        assertInOrderWithoutGaps(slow.acceptedBatches(), 5);
        assertTrue(slow.acceptedBatches().stream().allMatch(p -> p.sequences().equals(range(1, 5))));
    }

    @Test
    void aConsumerThatSendsHeadersButNeverTheBodyTimesOutAndIsRetriedNotAcknowledged() throws Exception {
        StalledBodyConsumer stalled = track(new StalledBodyConsumer());
        outbox.appendUpTo(3);
        ConsumerEndpoint endpoint = new ConsumerEndpoint("learning_systems", stalled.uri(), Duration.ofMillis(300));
        ReportDispatcher dispatcher = track(new ReportDispatcher(outbox, cursors, List.of(endpoint), POLICY, CLOCK));
        dispatcher.start();

        // The 200 status line arrives, the promised body never does: not an acknowledgement, and not a hang either.
        await().atMost(AWAIT).until(() -> dispatcher.status().get("learning_systems").consecutiveFailures() >= 2);
        ConsumerStatus s = dispatcher.status().get("learning_systems");
        assertEquals(ConsumerStatus.State.DOWN, s.state());
        assertEquals("no response within PT0.3S", s.lastError());
        assertEquals(0, s.cursor());
        assertEquals(0, cursors.load("learning_systems"));
        assertEquals(3, s.lag());
        assertTrue(stalled.connections() >= 2, "the same batch is pushed again");
    }

    private TestReceiver receiver(String consumer) throws IOException {
        return track(new TestReceiver(consumer));
    }

    private <T extends AutoCloseable> T track(T resource) {
        toClose.push(resource);
        return resource;
    }

    /**
     * A consumer that answers every push with {@code 200} and a {@code Content-Length} it never sends, keeping the
     * connection open: the response headers arrive, the response never completes.
     */
    private static final class StalledBodyConsumer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final Thread acceptor = new Thread(this::acceptLoop, "stalled-body-consumer");

        StalledBodyConsumer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    open.add(socket);
                    socket.getOutputStream().write(
                            "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{".getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/reports");
        }

        int connections() {
            return open.size();
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : open) s.close();
            acceptor.join(Duration.ofSeconds(5).toMillis());
        }
    }

    /** An outbox whose database can be switched off. */
    private static final class FlakyOutbox implements ReportOutbox {
        private final ReportOutbox delegate;
        volatile boolean failing;

        FlakyOutbox(ReportOutbox delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<OutboxEntry> readAfter(long sequence, int limit) {
            if (failing) throw new IllegalStateException("database unavailable");
            return delegate.readAfter(sequence, limit);
        }

        @Override
        public long lastSequence() {
            if (failing) throw new IllegalStateException("database unavailable");
            return delegate.lastSequence();
        }
    }

    /** A cursor store whose writes can be switched off. */
    private static final class FailingSaveStore implements ConsumerCursorStore {
        private final ConsumerCursorStore delegate;
        volatile boolean failing;

        FailingSaveStore(ConsumerCursorStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public long load(String consumer) {
            return delegate.load(consumer);
        }

        @Override
        public void save(String consumer, long sequence) {
            if (failing) throw new IllegalStateException("disk full");
            delegate.save(consumer, sequence);
        }
    }
}
