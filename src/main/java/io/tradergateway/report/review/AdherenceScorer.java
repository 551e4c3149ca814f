package io.tradergateway.report.review;

import java.util.Objects;

/**
 * How well one execution followed its plan: {@code adherence_score} in [0, 1], the weighted mean of five
 * sub-scores, rounded to 4 decimals.
 *
 * <table border="1">
 *   <caption>Sub-scores and weights</caption>
 *   <tr><th>sub-score</th><th>weight</th><th>rule</th></tr>
 *   <tr><td>slippage</td><td>{@value #SLIPPAGE_WEIGHT}</td>
 *       <td>nothing filled: 0. slippage ≤ 0: 1. Otherwise 1 − slippage / (2·max_slippage), floored at 0
 *       (1 at 0, 0.5 at the limit, 0 at twice the limit); max_slippage = 0 and slippage &gt; 0: 0</td></tr>
 *   <tr><td>latency</td><td>{@value #LATENCY_WEIGHT}</td>
 *       <td>not measured (no venue answer, or never sent): 0. Otherwise clamp(1.5 − latency / max_latency_ms, 0, 1)
 *       (1 up to half the limit, 0.5 at the limit, 0 from 1.5× the limit)</td></tr>
 *   <tr><td>fill ratio</td><td>{@value #FILL_WEIGHT}</td><td>filled / requested, at most 1; 0 when nothing was requested</td></tr>
 *   <tr><td>venue preference</td><td>{@value #VENUE_WEIGHT}</td>
 *       <td>no venue reached: 0. No preferences: 1. Preference #k (1-based): max(0.25, 1 − 0.25·(k − 1))
 *       (1, 0.75, 0.5, 0.25, 0.25 …). A venue not among the preferences: 0</td></tr>
 *   <tr><td>time validity</td><td>{@value #TIME_WEIGHT}</td><td>executed before valid_until: 1, else 0</td></tr>
 * </table>
 *
 * <p>The fill ratio weighs most because an order that did not execute did not follow the plan, however
 * well the rest went. A failed execution with nothing filled loses slippage and fill ratio (0.60) but keeps
 * what it did honour: a venue reject answered within half the latency limit at the first-preference venue
 * before valid_until scores 0.15 + 0.10 + 0.15 = <b>0.40</b>; a plan that failed validation because it had
 * expired (no venue, no latency) scores <b>0</b>.
 *
 * <p>Worked examples (all other sub-scores 1): perfect 1.0; latency 412 ms vs 250 ms → 0.85; slippage
 * 15 bps vs 10 bps → sub-score 0.25 → 0.8125; 40 % filled → 0.79.
 */
public final class AdherenceScorer {
    public static final double SLIPPAGE_WEIGHT = 0.25;
    public static final double LATENCY_WEIGHT = 0.15;
    public static final double FILL_WEIGHT = 0.35;
    public static final double VENUE_WEIGHT = 0.10;
    public static final double TIME_WEIGHT = 0.15;

    /** The adherence score in [0, 1]. */
    public double score(ExecutionFacts facts) {
        return breakdown(facts).total();
    }

    /** The score with its sub-scores. */
    public AdherenceBreakdown breakdown(ExecutionFacts facts) {
        Objects.requireNonNull(facts, "facts");
        double slippage = slippageScore(facts);
        double latency = latencyScore(facts);
        double fill = facts.fillRatio();
        double venue = venuePreferenceScore(facts);
        double time = facts.validAtExecution() ? 1.0 : 0.0;
        double total = SLIPPAGE_WEIGHT * slippage + LATENCY_WEIGHT * latency + FILL_WEIGHT * fill
                + VENUE_WEIGHT * venue + TIME_WEIGHT * time;
        return new AdherenceBreakdown(slippage, latency, fill, venue, time, round4(clampUnit(total)));
    }

    static double slippageScore(ExecutionFacts facts) {
        if (!facts.anythingFilled()) {
            return 0;
        }
        if (facts.slippage().signum() <= 0) {
            return 1;
        }
        if (facts.maxSlippage().signum() == 0) {
            return 0;
        }
        return clampUnit(1 - facts.slippage().doubleValue() / (2 * facts.maxSlippage().doubleValue()));
    }

    static double latencyScore(ExecutionFacts facts) {
        if (facts.latencyMs() == null) {
            return 0;
        }
        return clampUnit(1.5 - (double) facts.latencyMs() / facts.maxLatencyMs());
    }

    static double venuePreferenceScore(ExecutionFacts facts) {
        if (facts.venue() == null) {
            return 0;
        }
        if (facts.venuePreferences().isEmpty()) {
            return 1;
        }
        int index = facts.venuePreferences().indexOf(facts.venue());
        return index < 0 ? 0 : Math.max(0.25, 1 - 0.25 * index);
    }

    private static double clampUnit(double value) {
        return Math.max(0.0, Math.min(1.0, value));
    }

    private static double round4(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
