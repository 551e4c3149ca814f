package io.tradergateway.routing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * Scores one venue for one order:
 * <pre>   total = 0.3·liquidity + 0.2·latency + 0.2·slippage + 0.3·success</pre>
 *
 * <table border="1">
 *   <caption>Components (each clamped to [0, 1])</caption>
 *   <tr><th>component</th><th>formula</th><th>prior (no sample yet)</th></tr>
 *   <tr><td>liquidity</td><td>min(1, depthWithinSlippage / quantity)</td><td>— (always measured)</td></tr>
 *   <tr><td>latency</td><td>1 − learnedLatencyMs / maxLatencyMs</td><td>{@value #PRIOR_LATENCY}</td></tr>
 *   <tr><td>slippage</td><td>1 − max(0, learnedSlippage) / maxSlippage;
 *       if maxSlippage = 0: 1 when learnedSlippage ≤ 0, else 0</td><td>{@value #PRIOR_SLIPPAGE}</td></tr>
 *   <tr><td>success</td><td>learned success rate</td><td>{@value #PRIOR_SUCCESS}</td></tr>
 * </table>
 *
 * <h2>Priors</h2>
 * A component without a sample uses its prior, independently of the others (a venue that only ever
 * rejected has a learned success rate but still the latency/slippage priors if it never answered/filled).
 * Latency and slippage priors assume the middle of the range the plan accepts. The success prior is
 * higher, 0.8, because a venue that is logged on and lists the symbol normally accepts orders. So a
 * fresh venue with full depth scores 0.3 + 0.1 + 0.1 + 0.24 = <b>0.74</b>:
 * <ul>
 *   <li>a proven good venue (latency ≤ 20 % of the limit, no adverse slippage, always fills) scores
 *       ≥ 0.3 + 0.16 + 0.2 + 0.3 = 0.96 and wins;</li>
 *   <li>a venue that rejects a third of its orders with mediocre latency/slippage (0.5 each) scores
 *       0.3 + 0.1 + 0.1 + 0.2 = 0.70 and loses to the fresh venue, which is then tried.</li>
 * </ul>
 * Learned slippage is signed; only the adverse part lowers the score (price improvement gives 1).
 *
 * <h2>Fading evidence</h2>
 * With the candidate's evidence weight {@code w} (1 right after an observation, halving every half-life
 * without one; see {@link VenueStats#evidenceWeight}), each learned component counts as
 * <pre>   w · learned + (1 − w) · prior</pre>
 * So a venue that rejected a burst of orders an hour ago (success 0, score 0.5) drifts back towards the
 * fresh-venue 0.74 and is tried again once the venue that took its flow is no better than that, while a venue
 * in use keeps w ≈ 1.
 */
public final class VenueScorer {
    public static final double LIQUIDITY_WEIGHT = 0.3;
    public static final double LATENCY_WEIGHT = 0.2;
    public static final double SLIPPAGE_WEIGHT = 0.2;
    public static final double SUCCESS_WEIGHT = 0.3;

    public static final double PRIOR_LATENCY = 0.5;
    public static final double PRIOR_SLIPPAGE = 0.5;
    public static final double PRIOR_SUCCESS = 0.8;

    public VenueScore score(VenueCandidate candidate, OrderRequirements requirements) {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(requirements, "requirements");
        VenueStats stats = candidate.stats();

        double liquidity = liquidity(candidate.depthWithinSlippage(), requirements.quantity());
        double w = candidate.evidenceWeight();
        double latency = stats.hasLatency()
                ? faded(w, clampUnit(1 - stats.avgLatencyMs() / requirements.maxLatencyMs()), PRIOR_LATENCY)
                : PRIOR_LATENCY;
        double slippage = stats.hasSlippage()
                ? faded(w, slippage(stats.avgSlippage(), requirements.maxSlippage()), PRIOR_SLIPPAGE)
                : PRIOR_SLIPPAGE;
        double success = stats.hasOutcome() ? faded(w, clampUnit(stats.successRate()), PRIOR_SUCCESS) : PRIOR_SUCCESS;

        double total = clampUnit(LIQUIDITY_WEIGHT * liquidity + LATENCY_WEIGHT * latency
                + SLIPPAGE_WEIGHT * slippage + SUCCESS_WEIGHT * success);
        return new VenueScore(candidate.venue(), total, liquidity, latency, slippage, success,
                stats.hasOutcome() ? w : 0.0);
    }

    private static double faded(double evidenceWeight, double learned, double prior) {
        return clampUnit(evidenceWeight * learned + (1 - evidenceWeight) * prior);
    }

    private static double liquidity(BigDecimal depth, BigDecimal quantity) {
        if (depth.compareTo(quantity) >= 0) {
            return 1.0;
        }
        return clampUnit(depth.divide(quantity, MathContext.DECIMAL64).doubleValue());
    }

    private static double slippage(double learnedSlippage, BigDecimal maxSlippage) {
        double adverse = Math.max(0.0, learnedSlippage);
        if (maxSlippage.signum() == 0) {
            return adverse == 0.0 ? 1.0 : 0.0;
        }
        return clampUnit(1 - adverse / maxSlippage.doubleValue());
    }

    private static double clampUnit(double value) {
        return Math.max(0.0, Math.min(1.0, value));
    }
}
