package io.tradergateway.report;

/**
 * Where the engine hands each exec-report once it is durable: the report and its JSON text, the one the journal wrote
 * ({@link JsonText}), so the output stage sends and logs that text rather than writing the report's JSON again.
 */
@FunctionalInterface
public interface ReportPublisher {
    void publish(ExecReport report, JsonText json);
}
