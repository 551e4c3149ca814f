package io.tradergateway.report.delivery;

import java.util.Objects;

/**
 * One stored exec-report.
 *
 * @param sequence gap-free position in the outbox, from 1
 * @param reportId the report's unique id
 * @param json     the full {@code exec-report-1.0} JSON object, delivered verbatim
 */
public record OutboxEntry(long sequence, String reportId, String json) {
    public OutboxEntry {
        if (sequence < 1) throw new IllegalArgumentException("outbox sequence must be >= 1: " + sequence);
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(json, "json");
    }
}
