package io.tradergateway.report.delivery;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongFunction;

import static io.tradergateway.report.delivery.DeliveryAssertions.AWAIT;
import static io.tradergateway.report.delivery.DeliveryAssertions.assertIncreasing;
import static io.tradergateway.report.delivery.DeliveryAssertions.assertInOrderWithoutGaps;
import static io.tradergateway.report.delivery.DeliveryAssertions.awaitCursors;
import static io.tradergateway.report.delivery.DeliveryAssertions.isRunning;
import static io.tradergateway.report.delivery.DeliveryAssertions.range;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher against real local HTTP receivers. Every policy here polls the outbox only once a minute, so
 * reports appended after start are delivered only because of {@link ReportDispatcher#wakeUp()}.
 */
@Timeout(30)
class ReportDispatcherTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final DeliveryPolicy FAST_RETRY =
            new DeliveryPolicy(10, Duration.ofMillis(20), Duration.ofMillis(200), 0.2, Duration.ofMinutes(1));

    private final InMemoryReportOutbox outbox = new InMemoryReportOutbox();
    private final InMemoryCursorStore cursors = new InMemoryCursorStore();
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    @AfterEach
    void closeEverything() throws Exception {
        while (!toClose.isEmpty()) toClose.pop().close();
    }

    @Test
    void threeConsumersReceiveEveryReportInOrderAndEachCursorIsStored() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        TestReceiver decision = receiver("decision_maker");
        TestReceiver learning = receiver("learning_systems");
        outbox.appendUpTo(25);
        ReportDispatcher dispatcher = dispatcher(FAST_RETRY, alpha.endpoint(), decision.endpoint(), learning.endpoint());
        dispatcher.start();

        awaitCursors(dispatcher, 25, "alpha_detector", "decision_maker", "learning_systems");
        for (TestReceiver r : List.of(alpha, decision, learning)) {
            assertEquals(List.of(range(1, 10), range(11, 20), range(21, 25)),
                    r.acceptedBatches().stream().map(TestReceiver.Push::sequences).toList());
        }
        for (String consumer : List.of("alpha_detector", "decision_maker", "learning_systems")) {
            assertEquals(List.of(10L, 20L, 25L), cursors.savesOf(consumer));
            assertTrue(isRunning("delivery-" + consumer), "worker thread delivery-" + consumer);
        }

        outbox.appendUpTo(32);
        dispatcher.wakeUp();
        awaitCursors(dispatcher, 32, "alpha_detector", "decision_maker", "learning_systems");
        for (TestReceiver r : List.of(alpha, decision, learning)) {
            assertEquals(range(1, 32), r.acceptedSequences());
        }
        ConsumerStatus status = dispatcher.status().get("decision_maker");
        assertEquals(new ConsumerStatus("decision_maker", ConsumerStatus.State.UP, 32, 0, 0, null, null, null, NOW), status);
        assertEquals(32, cursors.load("learning_systems"));
    }

    @Test
    void pushCarriesHeadersConsumerNameAndStoredReportsVerbatim() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        deliveredUpTo(2, alpha);
        TestReceiver.Push push = alpha.acceptedBatches().get(0);
        assertEquals("alpha_detector", push.consumer());
        assertEquals("application/json", push.contentType());
        assertEquals(1, push.headerFrom());
        assertEquals(2, push.headerTo());
        assertEquals("{\"consumer\":\"alpha_detector\",\"reports\":[" + InMemoryReportOutbox.reportJson(1) + ","
                + InMemoryReportOutbox.reportJson(2) + "]}", push.body());
    }

    @Test
    void consumerAnswering503CatchesUpWithoutGapWhileTheOthersKeepReceiving() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        TestReceiver decision = receiver("decision_maker");
        TestReceiver learning = receiver("learning_systems");
        decision.unavailable(true);
        outbox.appendUpTo(30);
        ReportDispatcher dispatcher = dispatcher(FAST_RETRY, alpha.endpoint(), decision.endpoint(), learning.endpoint());
        dispatcher.start();

        awaitCursors(dispatcher, 30, "alpha_detector", "learning_systems");
        outbox.appendUpTo(60);
        dispatcher.wakeUp();
        awaitCursors(dispatcher, 60, "alpha_detector", "learning_systems");

        // The others reached the end of the outbox while decision_maker was refusing everything.
        ConsumerStatus down = dispatcher.status().get("decision_maker");
        assertEquals(ConsumerStatus.State.DOWN, down.state());
        assertEquals(0, down.cursor());
        assertEquals(60, down.lag());
        assertEquals("HTTP 503", down.lastError());
        assertTrue(down.consecutiveFailures() >= 1, "failures " + down.consecutiveFailures());
        assertEquals(NOW, down.downSince());
        assertTrue(decision.acceptedBatches().isEmpty());
        assertTrue(decision.refusedCount() >= 1);

        decision.unavailable(false);
        awaitCursors(dispatcher, 60, "decision_maker");
        assertInOrderWithoutGaps(decision.acceptedBatches(), 60);
        ConsumerStatus up = dispatcher.status().get("decision_maker");
        assertEquals(ConsumerStatus.State.UP, up.state());
        assertEquals(0, up.consecutiveFailures());
        assertNull(up.nextAttemptAt());
        assertEquals("HTTP 503", up.lastError(), "the last error stays visible after recovery");
        assertIncreasing(cursors.savesOf("decision_maker"));
        assertEquals(range(1, 60), alpha.acceptedSequences());
        assertEquals(range(1, 60), learning.acceptedSequences());
    }

    @Test
    void aBatchTheConsumerRefusesForeverIsRetriedWithBackOffNeverSkippedAndItsLagGrows() throws Exception {
        TestReceiver learning = receiver("learning_systems");
        ReportDispatcher dispatcher = deliveredUpTo(3, learning);

        // The consumer chokes on report 5 (a 4xx, as for a payload it cannot parse): the batch 4..8 is poison.
        learning.refuseBatchesContaining(5, 400);
        outbox.appendUpTo(8);
        dispatcher.wakeUp();
        await().atMost(AWAIT).until(() -> dispatcher.status().get("learning_systems").consecutiveFailures() >= 4);
        outbox.appendUpTo(12);
        ConsumerStatus stuck = dispatcher.status().get("learning_systems");
        assertEquals(ConsumerStatus.State.DOWN, stuck.state());
        assertEquals("HTTP 400", stuck.lastError());
        assertEquals(3, stuck.cursor());
        assertEquals(9, stuck.lag(), "reports behind the poison batch count too");
        assertTrue(stuck.nextAttemptAt().isAfter(NOW), "backing off, not spinning");
        assertEquals(3, cursors.load("learning_systems"));
        assertEquals(range(1, 3), learning.acceptedSequences(), "nothing at or after the poison report was skipped to");

        learning.refuseBatchesContaining(-1, 0);
        awaitCursors(dispatcher, 12, "learning_systems");
        assertEquals(List.of(range(1, 3), range(4, 8), range(9, 12)),
                learning.acceptedBatches().stream().map(TestReceiver.Push::sequences).toList());
    }

    @Test
    void consumerThatIsNotListeningCatchesUpWhenItComesBack() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        TestReceiver learning = receiver("learning_systems");
        learning.stopListening();
        outbox.appendUpTo(20);
        ReportDispatcher dispatcher = dispatcher(FAST_RETRY, alpha.endpoint(), learning.endpoint());
        dispatcher.start();

        awaitCursors(dispatcher, 20, "alpha_detector");
        await().atMost(AWAIT).until(() -> dispatcher.status().get("learning_systems").consecutiveFailures() >= 2);
        ConsumerStatus down = dispatcher.status().get("learning_systems");
        assertEquals(ConsumerStatus.State.DOWN, down.state());
        assertEquals(0, down.cursor());
        assertTrue(down.lastError().startsWith("connection failed"), down.lastError());

        learning.listenAgain();
        awaitCursors(dispatcher, 20, "learning_systems");
        outbox.appendUpTo(25);
        dispatcher.wakeUp();
        awaitCursors(dispatcher, 25, "alpha_detector", "learning_systems");
        assertInOrderWithoutGaps(learning.acceptedBatches(), 25);
        assertEquals(range(1, 25), alpha.acceptedSequences());
    }

    @Test
    void slowConsumerDoesNotDelayTheOthers() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        TestReceiver decision = receiver("decision_maker");
        TestReceiver learning = receiver("learning_systems");
        alpha.blockUntilReleased();
        outbox.appendUpTo(30);
        ReportDispatcher dispatcher = dispatcher(FAST_RETRY, alpha.endpoint(Duration.ofSeconds(20)),
                decision.endpoint(), learning.endpoint());
        dispatcher.start();

        awaitCursors(dispatcher, 30, "decision_maker", "learning_systems");
        // alpha_detector's first push is still being held by its handler.
        assertEquals(1, alpha.arrivals());
        assertEquals(0, dispatcher.status().get("alpha_detector").cursor());
        assertEquals(ConsumerStatus.State.UP, dispatcher.status().get("alpha_detector").state());

        alpha.release();
        awaitCursors(dispatcher, 30, "alpha_detector");
        assertEquals(range(1, 30), alpha.acceptedSequences());
    }

    @Test
    void newDispatcherResumesAfterTheStoredCursorWithoutResendingAcknowledgedReports() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        TestReceiver decision = receiver("decision_maker");
        outbox.appendUpTo(20);
        ReportDispatcher first = new ReportDispatcher(outbox, cursors, List.of(alpha.endpoint(), decision.endpoint()), FAST_RETRY, CLOCK);
        first.start();
        awaitCursors(first, 20, "alpha_detector", "decision_maker");
        first.close();

        outbox.appendUpTo(35);
        ReportDispatcher second = dispatcher(FAST_RETRY, alpha.endpoint(), decision.endpoint());
        assertEquals(20, second.status().get("alpha_detector").cursor(), "cursor loaded from the store");
        assertEquals(15, second.status().get("alpha_detector").lag());
        second.start();
        awaitCursors(second, 35, "alpha_detector", "decision_maker");

        for (TestReceiver r : List.of(alpha, decision)) {
            assertEquals(range(1, 35), r.acceptedSequences());
            assertEquals(List.of(range(21, 30), range(31, 35)),
                    r.acceptedBatches().subList(2, 4).stream().map(TestReceiver.Push::sequences).toList());
        }
    }

    @Test
    void backOffDoublesUpToTheCapWhileFailingAndResetsOnRecovery() throws Exception {
        TestReceiver decision = receiver("decision_maker");
        decision.unavailable(true);
        outbox.appendUpTo(3);
        // No jitter, so with the fixed clock every next attempt time is exact: NOW + min(800, 200 × 2^(n−1)) ms.
        DeliveryPolicy policy = new DeliveryPolicy(10, Duration.ofMillis(200), Duration.ofMillis(800), 0.0, Duration.ofMinutes(1));
        ReportDispatcher dispatcher = dispatcher(policy, decision.endpoint());
        dispatcher.start();

        LongFunction<Duration> expected = failures -> switch ((int) failures) {
            case 1 -> Duration.ofMillis(200);
            case 2 -> Duration.ofMillis(400);
            default -> Duration.ofMillis(800);
        };
        List<Duration> observed = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
            int atLeast = k;
            await().atMost(AWAIT).pollInterval(Duration.ofMillis(10))
                    .until(() -> dispatcher.status().get("decision_maker").consecutiveFailures() >= atLeast);
            ConsumerStatus s = dispatcher.status().get("decision_maker");
            Duration wait = Duration.between(NOW, s.nextAttemptAt());
            assertEquals(expected.apply(s.consecutiveFailures()), wait, "after " + s.consecutiveFailures() + " failures");
            assertEquals(ConsumerStatus.State.DOWN, s.state());
            observed.add(wait);
        }
        assertTrue(observed.get(0).compareTo(observed.get(3)) < 0, "back-off grew: " + observed);
        assertEquals(Duration.ofMillis(800), observed.get(3), "capped at maxBackoff");
        assertTrue(decision.refusedCount() >= 4);

        decision.unavailable(false);
        awaitCursors(dispatcher, 3, "decision_maker");
        ConsumerStatus up = dispatcher.status().get("decision_maker");
        assertEquals(0, up.consecutiveFailures());
        assertNull(up.nextAttemptAt());
        assertNull(up.downSince());
    }

    @Test
    void neverSkipsASequenceThatIsNotVisibleYet() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        outbox.put(1);
        outbox.put(3); // 2 is still committing
        ReportDispatcher dispatcher = dispatcher(FAST_RETRY, alpha.endpoint());
        dispatcher.start();
        awaitCursors(dispatcher, 1, "alpha_detector");

        int readsBefore = outbox.reads();
        dispatcher.wakeUp();
        await().atMost(AWAIT).until(() -> outbox.reads() > readsBefore);
        assertEquals(1, dispatcher.status().get("alpha_detector").cursor());
        assertEquals(List.of(1L), alpha.acceptedSequences());

        outbox.put(2);
        dispatcher.wakeUp();
        awaitCursors(dispatcher, 3, "alpha_detector");
        assertEquals(List.of(List.of(1L), List.of(2L, 3L)),
                alpha.acceptedBatches().stream().map(TestReceiver.Push::sequences).toList());
    }

    @Test
    void pullOnlyConsumerIsSkippedByThePusher() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        outbox.appendUpTo(4);
        ReportDispatcher dispatcher = dispatcher(FAST_RETRY, alpha.endpoint(), ConsumerEndpoint.pullOnly("pull_only_consumer"));
        dispatcher.start();

        awaitCursors(dispatcher, 4, "alpha_detector");
        ConsumerStatus pull = dispatcher.status().get("pull_only_consumer");
        assertEquals(new ConsumerStatus("pull_only_consumer", ConsumerStatus.State.PULL_ONLY, 0, 4, 0, null, null, null, null), pull);
        assertFalse(isRunning("delivery-pull_only_consumer"));
        assertEquals(List.of("alpha_detector", "pull_only_consumer"), List.copyOf(dispatcher.status().keySet()));
    }

    @Test
    void closeStopsAWorkerPromptlyEvenWithAPushInFlightAndIsIdempotent() throws Exception {
        TestReceiver slow = receiver("close_test_consumer");
        slow.blockUntilReleased();
        outbox.appendUpTo(1);
        ReportDispatcher dispatcher = new ReportDispatcher(outbox, cursors, List.of(slow.endpoint(Duration.ofSeconds(20))), FAST_RETRY, CLOCK);
        dispatcher.start();
        await().atMost(AWAIT).until(() -> slow.arrivals() == 1);

        long startedAt = System.nanoTime();
        dispatcher.close();
        Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "close took " + took);
        assertFalse(isRunning("delivery-close_test_consumer"));
        dispatcher.close();
        assertThrows(IllegalStateException.class, dispatcher::start);
        assertEquals(0, cursors.load("close_test_consumer"));
    }

    @Test
    void constructorRejectsAConsumerConfiguredTwice() throws Exception {
        TestReceiver alpha = receiver("alpha_detector");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReportDispatcher(outbox, cursors, List.of(alpha.endpoint(), alpha.endpoint()), FAST_RETRY, CLOCK));
        assertTrue(e.getMessage().contains("alpha_detector"), e.getMessage());
    }

    private TestReceiver receiver(String consumer) throws IOException {
        TestReceiver receiver = new TestReceiver(consumer);
        toClose.push(receiver);
        return receiver;
    }

    /** A started dispatcher pushing to {@code receiver} only, once it has delivered reports 1..{@code sequence}. */
    private ReportDispatcher deliveredUpTo(long sequence, TestReceiver receiver) {
        outbox.appendUpTo(sequence);
        ReportDispatcher dispatcher = dispatcher(FAST_RETRY, receiver.endpoint());
        dispatcher.start();
        awaitCursors(dispatcher, sequence, receiver.endpoint().name());
        return dispatcher;
    }

    private ReportDispatcher dispatcher(DeliveryPolicy policy, ConsumerEndpoint... endpoints) {
        ReportDispatcher dispatcher = new ReportDispatcher(outbox, cursors, List.of(endpoints), policy, CLOCK);
        toClose.push(dispatcher);
        return dispatcher;
    }
}
