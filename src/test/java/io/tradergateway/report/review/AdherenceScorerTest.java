package io.tradergateway.report.review;

import static io.tradergateway.report.review.ReviewFixtures.base;
import static io.tradergateway.report.review.ReviewFixtures.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdherenceScorerTest {
    private static final double EPS = 1e-9;
    private final AdherenceScorer scorer = new AdherenceScorer();

    @Test
    void perfectExecutionScoresOne() {
        AdherenceBreakdown b = scorer.breakdown(ReviewFixtures.perfect());
        assertEquals(new AdherenceBreakdown(1, 1, 1, 1, 1, 1), b);
    }

    @Test
    void slowExecutionLosesTheLatencyWeight() {
        AdherenceBreakdown b = scorer.breakdown(ReviewFixtures.slow());
        assertEquals(0.84, b.slippage(), EPS);  // 1 − 0.00032 / 0.002
        assertEquals(0.0, b.latency(), EPS);    // 1.5 − 412/250 < 0
        // 0.25·0.84 + 0 + 0.35 + 0.10 + 0.15
        assertEquals(0.81, b.total(), EPS);

        ExecutionFacts somewhatSlow = base().expectedPrice(d("100")).executedAvgPrice(d("100")).slippage(d("0"))
                .latencyMs(300L).filledQuantity(d("100")).venue("SIM_A").build();
        AdherenceBreakdown s = scorer.breakdown(somewhatSlow);
        assertEquals(0.3, s.latency(), EPS);    // 1.5 − 300/250
        assertEquals(0.895, s.total(), EPS);    // 1 − 0.15·0.7
        ExecutionFacts halfLimit = base().expectedPrice(d("100")).executedAvgPrice(d("100")).slippage(d("0"))
                .latencyMs(125L).filledQuantity(d("100")).venue("SIM_A").build();
        assertEquals(1.0, scorer.breakdown(halfLimit).latency(), EPS);
    }

    @Test
    void slippedExecution() {
        AdherenceBreakdown b = scorer.breakdown(ReviewFixtures.slipped());
        assertEquals(0.25, b.slippage(), EPS);  // 1 − 0.0015 / 0.002
        assertEquals(1.0, b.venuePreference(), EPS); // no preferences
        assertEquals(0.8125, b.total(), EPS);   // 0.25·0.25 + 0.15 + 0.35 + 0.10 + 0.15
    }

    @Test
    void partialFillAtTheSecondPreference() {
        AdherenceBreakdown b = scorer.breakdown(ReviewFixtures.partial());
        assertEquals(0.75, b.slippage(), EPS);        // 1 − 0.0005 / 0.002
        assertEquals(0.4, b.fillRatio(), EPS);
        assertEquals(0.75, b.venuePreference(), EPS); // preference #2
        // 0.25·0.75 + 0.15 + 0.35·0.4 + 0.10·0.75 + 0.15 = 0.1875 + 0.15 + 0.14 + 0.075 + 0.15
        assertEquals(0.7025, b.total(), EPS);
    }

    @Test
    void failedExecutionScoresLowButKeepsWhatItHonoured() {
        AdherenceBreakdown rejected = scorer.breakdown(ReviewFixtures.rejected());
        assertEquals(new AdherenceBreakdown(0, 1, 0, 1, 1, 0.4), rejected); // 0.15 + 0.10 + 0.15
        assertEquals(0.0, scorer.score(ReviewFixtures.expiredAtValidation()), EPS);
        assertEquals(0.0, scorer.score(ReviewFixtures.expiredWaiting()), EPS);
    }

    @Test
    void venuePreferenceAndSlippageEdges() {
        var prefs = List.of("A", "B", "C", "D", "E");
        assertEquals(0.5, AdherenceScorer.venuePreferenceScore(base().venue("C").venuePreferences(prefs).build()), EPS);
        assertEquals(0.25, AdherenceScorer.venuePreferenceScore(base().venue("E").venuePreferences(prefs).build()), EPS);
        assertEquals(0.0, AdherenceScorer.venuePreferenceScore(base().venue("Z").venuePreferences(prefs).build()), EPS);

        ExecutionFacts zeroLimit = base().maxSlippage(d("0")).expectedPrice(d("100")).executedAvgPrice(d("100.01"))
                .slippage(d("0.0001")).filledQuantity(d("100")).build();
        assertEquals(0.0, AdherenceScorer.slippageScore(zeroLimit), EPS);
        ExecutionFacts improved = base().expectedPrice(d("100")).executedAvgPrice(d("99.9"))
                .slippage(d("-0.001")).filledQuantity(d("100")).build();
        assertEquals(1.0, AdherenceScorer.slippageScore(improved), EPS);
        ExecutionFacts doubleLimit = base().expectedPrice(d("100")).executedAvgPrice(d("100.2"))
                .slippage(d("0.002")).filledQuantity(d("100")).build();
        assertEquals(0.0, AdherenceScorer.slippageScore(doubleLimit), EPS);
    }
}
