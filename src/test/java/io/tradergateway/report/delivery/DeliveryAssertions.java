package io.tradergateway.report.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared checks of the delivery tests. */
final class DeliveryAssertions {

    static final Duration AWAIT = Duration.ofSeconds(10);

    private DeliveryAssertions() {
    }

    static void awaitCursors(ReportDispatcher dispatcher, long sequence, String... consumers) {
        for (String consumer : consumers) {
            await().atMost(AWAIT).until(() -> dispatcher.status().get(consumer).cursor() == sequence);
        }
    }

    /**
     * At least once, in order: batches are contiguous and match their headers, no sequence is jumped over, and
     * anything received twice is a whole earlier batch sent again.
     */
    static void assertInOrderWithoutGaps(List<TestReceiver.Push> pushes, long lastSequence) {
        long highest = 0;
        List<List<Long>> earlier = new ArrayList<>();
        for (TestReceiver.Push push : pushes) {
            List<Long> s = push.sequences();
            assertFalse(s.isEmpty(), "empty push");
            for (int i = 1; i < s.size(); i++) assertEquals(s.get(i - 1) + 1, s.get(i), "batch not contiguous: " + s);
            assertEquals(s.get(0), push.headerFrom());
            assertEquals(s.get(s.size() - 1), push.headerTo());
            if (s.get(0) <= highest) {
                assertTrue(earlier.contains(s), "re-sent reports must be a whole earlier batch: " + s);
            } else {
                assertEquals(highest + 1, s.get(0), "gap before " + s);
            }
            highest = Math.max(highest, s.get(s.size() - 1));
            earlier.add(s);
        }
        assertEquals(lastSequence, highest);
    }

    static void assertIncreasing(List<Long> values) {
        for (int i = 1; i < values.size(); i++) {
            assertTrue(values.get(i - 1) < values.get(i), "not increasing: " + values);
        }
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    static boolean isRunning(String threadName) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(threadName) && t.isAlive());
    }
}
