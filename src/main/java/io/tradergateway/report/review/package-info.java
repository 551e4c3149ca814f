/**
 * The review part of an exec-report: the {@code adherence_score} ({@link io.tradergateway.report.review.AdherenceScorer})
 * and the {@code what_worked} / {@code what_didnt_work} / {@code lessons_learned} sentences
 * ({@link io.tradergateway.report.review.ExecutionReview}), both derived only from the measured figures of
 * one execution ({@link io.tradergateway.report.review.ExecutionFacts}).
 *
 * <p>Pure domain code: no I/O, deterministic, no clock.
 */
package io.tradergateway.report.review;
