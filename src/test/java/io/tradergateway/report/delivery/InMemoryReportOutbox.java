package io.tradergateway.report.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Test outbox: entries by sequence; {@link #put} can leave holes to imitate a commit that is not visible yet. */
final class InMemoryReportOutbox implements ReportOutbox {

    private final NavigableMap<Long, OutboxEntry> entries = new TreeMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    /** How many times {@link #readAfter} was called, to know a worker has looked at the outbox. */
    int reads() {
        return reads.get();
    }

    /** Appends reports up to sequence {@code lastSequence}, continuing after the current last one. */
    synchronized void appendUpTo(long lastSequence) {
        for (long s = lastSequence() + 1; s <= lastSequence; s++) put(s);
    }

    synchronized void put(long sequence) {
        entries.put(sequence, new OutboxEntry(sequence, reportId(sequence), reportJson(sequence)));
    }

    synchronized void putRaw(OutboxEntry entry) {
        entries.put(entry.sequence(), entry);
    }

    static String reportId(long sequence) {
        return "rep-" + sequence;
    }

    /** A trimmed exec-report; the price keeps a trailing zero to prove it travels verbatim. */
    static String reportJson(long sequence) {
        return "{\"event_type\":\"exec-report-1.0\",\"report_id\":\"" + reportId(sequence) + "\",\"sequence\":" + sequence
                + ",\"status\":\"filled\",\"executed_price\":101.50}";
    }

    @Override
    public synchronized List<OutboxEntry> readAfter(long sequence, int limit) {
        reads.incrementAndGet();
        List<OutboxEntry> result = new ArrayList<>();
        for (Map.Entry<Long, OutboxEntry> e : entries.tailMap(sequence, false).entrySet()) {
            if (result.size() == limit) break;
            result.add(e.getValue());
        }
        return result;
    }

    @Override
    public synchronized long lastSequence() {
        return entries.isEmpty() ? 0 : entries.lastKey();
    }
}
