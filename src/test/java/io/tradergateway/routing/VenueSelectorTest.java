package io.tradergateway.routing;

import static io.tradergateway.routing.VenueScorerTest.candidate;
import static io.tradergateway.routing.VenueScorerTest.learned;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VenueSelectorTest {
    private static final double EPS = 1e-9;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final VenueSelector selector = new VenueSelector();

    // Full depth everywhere (liquidity 1), max latency 200 ms, max slippage 10 bps:
    // B: 0.3 + 0.2·0.75 + 0.2·1 + 0.3·1   = 0.95
    // C: 0.3 + 0.2·0.40 + 0.2·1 + 0.3·1   = 0.88
    // A: 0.3 + 0.2·0.5  + 0.2·0.5 + 0.3·0.6 = 0.68
    // D: 0.3 + 0.2·0.25 + 0.2·1 + 0.3·1   = 0.85 (exactly 0.1 below B)
    private static final VenueCandidate A = candidate("SIM_A", "100", learned("SIM_A", 100, 0.0005, 0.6));
    private static final VenueCandidate B = candidate("SIM_B", "100", learned("SIM_B", 50, 0, 1));
    private static final VenueCandidate C = candidate("SIM_C", "100", learned("SIM_C", 120, 0, 1));
    private static final VenueCandidate D = candidate("SIM_D", "100", learned("SIM_D", 150, 0, 1));

    private static OrderRequirements req(String... preferences) {
        return new OrderRequirements(new BigDecimal("100"), new BigDecimal("0.001"), 200, List.of(preferences));
    }

    private static List<String> venues(List<VenueScore> ranking) {
        return ranking.stream().map(VenueScore::venue).toList();
    }

    @Test
    void withoutPreferencesByScoreDescending() {
        List<VenueScore> ranking = selector.rank(List.of(A, B, C), req());
        assertEquals(List.of("SIM_B", "SIM_C", "SIM_A"), venues(ranking));
        assertEquals(0.95, ranking.get(0).total(), EPS);
        assertEquals(0.88, ranking.get(1).total(), EPS);
        assertEquals(0.68, ranking.get(2).total(), EPS);
    }

    @Test
    void equalScoresAreOrderedByVenueName() {
        VenueCandidate y = candidate("SIM_Y", "100", VenueStats.initial("SIM_Y"));
        VenueCandidate x = candidate("SIM_X", "100", VenueStats.initial("SIM_X"));
        assertEquals(List.of("SIM_X", "SIM_Y"), venues(selector.rank(List.of(y, x), req())));
    }

    @Test
    void excludesSessionDownAndSymbolNotListed() {
        VenueCandidate down = new VenueCandidate("SIM_B", false, true, new BigDecimal("100"), B.stats());
        VenueCandidate unlisted = new VenueCandidate("SIM_C", true, false, new BigDecimal("100"), C.stats());
        VenueRanking ranking = selector.rankExplained(List.of(A, down, unlisted), req());
        assertEquals(List.of("SIM_A"), venues(ranking.ranked()));
        assertEquals(List.of(new VenueExclusion("SIM_B", ExclusionReason.SESSION_DOWN),
                new VenueExclusion("SIM_C", ExclusionReason.SYMBOL_NOT_LISTED)), ranking.excluded());
        assertEquals("SIM_A", ranking.best().orElseThrow().venue());
    }

    @Test
    void preferencesRestrictTheCandidates() {
        VenueRanking ranking = selector.rankExplained(List.of(A, B, C), req("SIM_C", "SIM_A"));
        assertEquals(List.of("SIM_C", "SIM_A"), venues(ranking.ranked()));
        assertEquals(List.of(new VenueExclusion("SIM_B", ExclusionReason.NOT_PREFERRED)), ranking.excluded());
    }

    @Test
    void noEligiblePreferredVenueGivesAnEmptyRankingWithReasons() {
        VenueCandidate down = new VenueCandidate("SIM_C", false, true, new BigDecimal("100"), C.stats());
        VenueRanking ranking = selector.rankExplained(List.of(B, down), req("SIM_C"));
        assertTrue(ranking.ranked().isEmpty());
        assertTrue(ranking.best().isEmpty());
        assertEquals("no eligible venue (SIM_B: not in venue_preferences; SIM_C: FIX session is down)",
                ranking.noVenueMessage());
    }

    @Test
    void preferenceOrderWinsWithinTheToleranceOfTheBest() {
        // best 0.95 (B); C at 0.88 is within 0.1 → preference order among B, C; A (0.68) after them.
        assertEquals(List.of("SIM_C", "SIM_B", "SIM_A"), venues(selector.rank(List.of(A, B, C), req("SIM_C", "SIM_A", "SIM_B"))));
        // first preference A is clearly worse (0.27 below the best) → it goes after B and C
        assertEquals(List.of("SIM_B", "SIM_C", "SIM_A"), venues(selector.rank(List.of(A, B, C), req("SIM_A", "SIM_B", "SIM_C"))));
        // exactly 0.1 below the best still counts as within
        assertEquals(List.of("SIM_D", "SIM_B"), venues(selector.rank(List.of(B, D), req("SIM_D", "SIM_B"))));
    }

    @Test
    void outsideTheToleranceScoreOrderThenPreference() {
        // tolerance 0: only the best keeps its place by preference; C and D follow by score
        VenueSelector strict = new VenueSelector(new VenueScorer(), 0.0);
        assertEquals(List.of("SIM_B", "SIM_C", "SIM_D", "SIM_A"),
                venues(strict.rank(List.of(A, B, C, D), req("SIM_A", "SIM_D", "SIM_C", "SIM_B"))));
        // two equal scores outside the tolerance: preference order between them
        VenueCandidate a2 = candidate("SIM_A2", "100", learned("SIM_A2", 100, 0.0005, 0.6));
        assertEquals(List.of("SIM_B", "SIM_A2", "SIM_A"),
                venues(selector.rank(List.of(A, a2, B), req("SIM_B", "SIM_A2", "SIM_A"))));
    }

    @Test
    void duplicateVenueIsABug() {
        assertThrows(IllegalArgumentException.class, () -> selector.rank(List.of(A, A), req()));
    }

    @Test
    void aVenueThatStartsRejectingDropsBelowAnotherAfterTwoRejects() {
        VenueStatsBook book = new VenueStatsBook(0.2);
        book.restore(learned("SIM_B", 20, 0, 1));   // 0.3 + 0.2·0.9 + 0.2 + 0.3 = 0.98
        book.restore(learned("SIM_A", 100, 0, 1));  // 0.3 + 0.2·0.5 + 0.2 + 0.3 = 0.90
        assertEquals("SIM_B", best(book));

        book.observe(ExecutionObservation.failed("SIM_B", 20L, T0));  // success 0.8 → 0.68 + 0.24 = 0.92
        assertEquals("SIM_B", best(book));
        assertEquals(0.92, score(book, "SIM_B"), EPS);

        book.observe(ExecutionObservation.failed("SIM_B", 20L, T0));  // success 0.64 → 0.68 + 0.192 = 0.872
        assertEquals("SIM_A", best(book));
        assertEquals(0.872, score(book, "SIM_B"), EPS);
    }

    @Test
    void aVenueWithRisingSlippageDropsBelowAnotherAfterTwoFills() {
        VenueStatsBook book = new VenueStatsBook(0.2);
        book.restore(learned("SIM_B", 20, 0, 1));   // 0.98
        book.restore(learned("SIM_A", 100, 0, 1));  // 0.90
        // fills slipping 15 bps: avg 0.2·0.0015 = 0.0003 → slippage 0.7 → 0.3 + 0.18 + 0.14 + 0.3 = 0.92
        book.observe(ExecutionObservation.filled("SIM_B", 20, 0.0015, T0));
        assertEquals("SIM_B", best(book));
        assertEquals(0.92, score(book, "SIM_B"), EPS);
        // avg 0.2·0.0015 + 0.8·0.0003 = 0.00054 → slippage 0.46 → 0.3 + 0.18 + 0.092 + 0.3 = 0.872
        book.observe(ExecutionObservation.filled("SIM_B", 20, 0.0015, T0));
        assertEquals("SIM_A", best(book));
        assertEquals(0.872, score(book, "SIM_B"), EPS);
    }

    private String best(VenueStatsBook book) {
        return selector.rank(List.of(candidate("SIM_A", "100", book.get("SIM_A")),
                candidate("SIM_B", "100", book.get("SIM_B"))), req()).get(0).venue();
    }

    private double score(VenueStatsBook book, String venue) {
        return new VenueScorer().score(candidate(venue, "100", book.get(venue)), req()).total();
    }
}
