package io.tradergateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VenueScorerTest {
    private static final double EPS = 1e-9;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final OrderRequirements REQ =
            new OrderRequirements(new BigDecimal("100"), new BigDecimal("0.001"), 200, List.of());

    private final VenueScorer scorer = new VenueScorer();

    static VenueStats learned(String venue, double latencyMs, double slippage, double success) {
        return new VenueStats(venue, latencyMs, slippage, success, 10, 10, 10, T0);
    }

    static VenueCandidate candidate(String venue, String depth, VenueStats stats) {
        return new VenueCandidate(venue, true, true, new BigDecimal(depth), stats);
    }

    @Test
    void eachComponentAndTheWeightedTotal() {
        VenueScore score = scorer.score(candidate("SIM_A", "60", learned("SIM_A", 50, 0.0004, 0.9)), REQ);
        assertEquals("SIM_A", score.venue());
        assertEquals(0.6, score.liquidity(), EPS);   // 60 / 100
        assertEquals(0.75, score.latency(), EPS);    // 1 − 50/200
        assertEquals(0.6, score.slippage(), EPS);    // 1 − 0.0004/0.001
        assertEquals(0.9, score.success(), EPS);
        // 0.3·0.6 + 0.2·0.75 + 0.2·0.6 + 0.3·0.9 = 0.18 + 0.15 + 0.12 + 0.27
        assertEquals(0.72, score.total(), EPS);
    }

    @Test
    void componentsAreClampedAndPriceImprovementCountsAsNoSlippage() {
        VenueScore score = scorer.score(candidate("SIM_A", "500", learned("SIM_A", 300, -0.0002, 0.5)), REQ);
        assertEquals(1.0, score.liquidity(), EPS);  // depth beyond the quantity is no better
        assertEquals(0.0, score.latency(), EPS);    // 300 ms > 200 ms limit
        assertEquals(1.0, score.slippage(), EPS);   // improvement
        assertEquals(0.3 + 0.0 + 0.2 + 0.15, score.total(), EPS);

        VenueScore worse = scorer.score(candidate("SIM_A", "0", learned("SIM_A", 100, 0.003, 0.5)), REQ);
        assertEquals(0.0, worse.liquidity(), EPS);
        assertEquals(0.0, worse.slippage(), EPS);   // 3× the limit
        assertEquals(0.5, worse.latency(), EPS);
        assertEquals(0.1 + 0.15, worse.total(), EPS);
    }

    @Test
    void zeroMaxSlippageIsAllOrNothing() {
        OrderRequirements strict = new OrderRequirements(new BigDecimal("100"), BigDecimal.ZERO, 200, List.of());
        assertEquals(1.0, scorer.score(candidate("A", "100", learned("A", 0, 0.0, 1)), strict).slippage(), EPS);
        assertEquals(1.0, scorer.score(candidate("A", "100", learned("A", 0, -0.0001, 1)), strict).slippage(), EPS);
        assertEquals(0.0, scorer.score(candidate("A", "100", learned("A", 0, 0.0001, 1)), strict).slippage(), EPS);
    }

    @Test
    void freshVenueUsesPriors() {
        VenueScore fresh = scorer.score(candidate("SIM_NEW", "100", VenueStats.initial("SIM_NEW")), REQ);
        assertEquals(1.0, fresh.liquidity(), EPS);
        assertEquals(0.5, fresh.latency(), EPS);
        assertEquals(0.5, fresh.slippage(), EPS);
        assertEquals(0.8, fresh.success(), EPS);
        assertEquals(0.74, fresh.total(), EPS); // 0.3 + 0.1 + 0.1 + 0.24

        // Only rejects without any ack: success is learned (0), latency and slippage keep their priors.
        VenueStats rejectsOnly = VenueStats.initial("SIM_NEW")
                .update(ExecutionObservation.failed("SIM_NEW", null, T0), 0.2);
        VenueScore rejected = scorer.score(candidate("SIM_NEW", "100", rejectsOnly), REQ);
        assertEquals(0.5, rejected.latency(), EPS);
        assertEquals(0.5, rejected.slippage(), EPS);
        assertEquals(0.0, rejected.success(), EPS);
        assertEquals(0.5, rejected.total(), EPS); // 0.3 + 0.1 + 0.1 + 0
    }

    @Test
    void freshVenueLosesToAProvenGoodVenueButBeatsAnUnreliableOne() {
        double fresh = scorer.score(candidate("F", "100", VenueStats.initial("F")), REQ).total();
        // latency 40/200 → 0.8, no slippage, always fills: 0.3 + 0.16 + 0.2 + 0.3 = 0.96
        double good = scorer.score(candidate("G", "100", learned("G", 40, 0, 1)), REQ).total();
        // 100/200 → 0.5, 0.0005/0.001 → 0.5, two thirds fill: 0.3 + 0.1 + 0.1 + 0.2 = 0.70
        double unreliable = scorer.score(candidate("U", "100", learned("U", 100, 0.0005, 2.0 / 3)), REQ).total();
        assertEquals(0.96, good, EPS);
        assertEquals(0.70, unreliable, EPS);
        assertEquals(0.74, fresh, EPS);
    }

    @Test
    void fadedEvidenceBlendsEachLearnedComponentWithItsPrior() {
        // Learned: latency 1 − 50/200 = 0.75, slippage 1 − 0.0004/0.001 = 0.6, success 0.2; evidence counts half.
        VenueStats stats = learned("SIM_A", 50, 0.0004, 0.2);
        VenueScore half = scorer.score(new VenueCandidate("SIM_A", true, true, new BigDecimal("100"), stats, 0.5), REQ);
        assertEquals(0.625, half.latency(), EPS);   // 0.5·0.75 + 0.5·0.5
        assertEquals(0.55, half.slippage(), EPS);   // 0.5·0.6 + 0.5·0.5
        assertEquals(0.5, half.success(), EPS);     // 0.5·0.2 + 0.5·0.8
        assertEquals(1.0, half.liquidity(), EPS);   // measured now, never faded
        assertEquals(0.3 + 0.125 + 0.11 + 0.15, half.total(), EPS);
        assertEquals(0.5, half.evidenceWeight(), EPS);

        // No evidence left: exactly the fresh venue's 0.74; full evidence: exactly the learned score.
        VenueScore gone = scorer.score(new VenueCandidate("SIM_A", true, true, new BigDecimal("100"), stats, 0.0), REQ);
        assertEquals(0.74, gone.total(), EPS);
        VenueScore full = scorer.score(candidate("SIM_A", "100", stats), REQ);
        assertEquals(0.3 + 0.15 + 0.12 + 0.06, full.total(), EPS);
        assertEquals(1.0, full.evidenceWeight(), EPS);
    }

    @Test
    void aVenueShunnedAfterABurstOfRejectsIsTriedAgainOnceTheEvidenceHasFaded() {
        Duration halfLife = Duration.ofMinutes(30);
        VenueStats burst = VenueStats.initial("SIM_A");
        for (int i = 0; i < 5; i++) {
            burst = burst.update(ExecutionObservation.failed("SIM_A", 20L, T0), 0.2);
        }
        // A mediocre venue that keeps the flow, observed just now: latency 0.5, slippage 0.5, success 0.8 → 0.74 − ε.
        VenueStats mediocre = learned("SIM_B", 100, 0.0005, 0.79);
        Instant later = T0.plus(Duration.ofHours(3));
        double b = scorer.score(candidate("SIM_B", "100", mediocre), REQ).total();
        double aAtOnce = scorer.score(new VenueCandidate("SIM_A", true, true, new BigDecimal("100"), burst,
                burst.evidenceWeight(T0, halfLife)), REQ).total();
        double aRested = scorer.score(new VenueCandidate("SIM_A", true, true, new BigDecimal("100"), burst,
                burst.evidenceWeight(later, halfLife)), REQ).total();
        assertTrue(aAtOnce < b, "right after the rejects A loses: " + aAtOnce + " vs " + b);
        assertTrue(aRested > b, "three hours (six half-lives) later A is tried again: " + aRested + " vs " + b);
    }

    @Test
    void evidenceWeightOutsideTheUnitIntervalIsRefused() {
        VenueStats stats = learned("SIM_A", 50, 0, 1);
        assertThrows(IllegalArgumentException.class,
                () -> new VenueCandidate("SIM_A", true, true, BigDecimal.ONE, stats, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> new VenueCandidate("SIM_A", true, true, BigDecimal.ONE, stats, Double.NaN));
    }
}
