package io.tradergateway.report.delivery;

import java.util.List;

/**
 * Read side of the exec-report outbox. The writer stores every report with a gap-free sequence (1, 2, 3, ...)
 * in the same transaction as the state change that caused it.
 */
public interface ReportOutbox {

    /** Up to {@code limit} entries with a sequence greater than {@code sequence}, ascending by sequence. */
    List<OutboxEntry> readAfter(long sequence, int limit);

    /** The highest committed sequence, 0 when the outbox is empty. */
    long lastSequence();
}
