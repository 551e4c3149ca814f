package io.tradergateway.report.delivery;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tradergateway.report.delivery.DeliveryAssertions.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ReportDispatcher#page}, the pull helper behind {@code GET /v1/exec-reports?after=N&limit=M}. */
class PageTest {

    private final InMemoryReportOutbox outbox = new InMemoryReportOutbox();

    @Test
    void returnsTheReportsAfterTheGivenSequenceUpToTheLimit() {
        outbox.appendUpTo(10);
        assertEquals(range(4, 6), sequences(ReportDispatcher.page(outbox, 3, 3)));
        assertEquals(range(9, 10), sequences(ReportDispatcher.page(outbox, 8, 50)));
        assertEquals(List.of(), sequences(ReportDispatcher.page(outbox, 10, 50)));
        assertEquals(InMemoryReportOutbox.reportJson(1), ReportDispatcher.page(outbox, 0, 1).get(0).json());
    }

    @Test
    void clampsTheLimitToOneThroughAThousand() {
        outbox.appendUpTo(1200);
        assertEquals(List.of(1L), sequences(ReportDispatcher.page(outbox, 0, 0)));
        assertEquals(List.of(1L), sequences(ReportDispatcher.page(outbox, 0, -5)));
        assertEquals(range(1, 1000), sequences(ReportDispatcher.page(outbox, 0, 5000)));
        assertEquals(range(1001, 1200), sequences(ReportDispatcher.page(outbox, 1000, Integer.MAX_VALUE)));
    }

    @Test
    void stopsBeforeASequenceThatIsNotVisibleYetSoAPullerNeverSkipsIt() {
        outbox.put(1);
        outbox.put(2);
        outbox.put(4);
        assertEquals(range(1, 2), sequences(ReportDispatcher.page(outbox, 0, 10)));
        assertEquals(List.of(), sequences(ReportDispatcher.page(outbox, 2, 10)));
    }

    @Test
    void rejectsANegativeAfter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportDispatcher.page(outbox, -1, 10));
        assertEquals("after must be >= 0: -1", e.getMessage());
    }

    private static List<Long> sequences(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::sequence).toList();
    }
}
