/**
 * Delivery of exec-reports from the outbox to their consumers ({@code alpha_detector}, {@code decision_maker},
 * {@code learning_systems}).
 *
 * <p>The trading engine commits each report to the outbox with a gap-free sequence in the same transaction as
 * the state change. {@link io.tradergateway.report.delivery.ReportDispatcher} runs one worker thread per pushed
 * consumer that reads the outbox after that consumer's stored cursor and POSTs batches in sequence order,
 * retrying the same batch with exponential back-off until a 2xx acknowledges it. Consumers are independent: a
 * slow or dead one only delays itself, and trading never waits for delivery ({@code wakeUp()} never blocks).
 * Consumers without a URL are pull-only and read through
 * {@link io.tradergateway.report.delivery.ReportDispatcher#page}.
 */
package io.tradergateway.report.delivery;
