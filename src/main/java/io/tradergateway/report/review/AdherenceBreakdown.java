package io.tradergateway.report.review;

/**
 * The adherence score with its sub-scores, each in [0, 1] (see {@link AdherenceScorer} for the rules).
 * {@code total} is the exec-report's {@code adherence_score}.
 */
public record AdherenceBreakdown(double slippage, double latency, double fillRatio, double venuePreference,
                                 double timeValidity, double total) {
}
