package io.tradergateway.report;

import java.util.function.Consumer;

/**
 * Where the engine hands each exec-report once it is durable: the report and its JSON text, the one the journal wrote
 * ({@link JsonText}), so the output stage sends and logs that text rather than writing the report's JSON again.
 */
@FunctionalInterface
public interface ReportPublisher {
    void publish(ExecReport report, JsonText json);

    /** {@code reports} as a publisher that takes the report alone ({@code reports} may already be a publisher). */
    static ReportPublisher of(Consumer<ExecReport> reports) {
        return reports instanceof ReportPublisher publisher ? publisher : (report, json) -> reports.accept(report);
    }
}
