package io.tradergateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VenueStatsTest {
    private static final double EPS = 1e-12;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void initialStatsHaveNoSamples() {
        VenueStats stats = VenueStats.initial("SIM_A");
        assertEquals("SIM_A", stats.venue());
        assertEquals(0, stats.sampleCount());
        assertFalse(stats.hasLatency());
        assertFalse(stats.hasSlippage());
        assertFalse(stats.hasOutcome());
        assertNull(stats.lastUpdate());
    }

    @Test
    void firstSampleSetsTheAveragesThenEwmaWithAlpha() {
        VenueStats first = VenueStats.initial("SIM_A")
                .update(ExecutionObservation.filled("SIM_A", 100, 0.001, T0), 0.2);
        assertEquals(100.0, first.avgLatencyMs(), EPS);
        assertEquals(0.001, first.avgSlippage(), EPS);
        assertEquals(1.0, first.successRate(), EPS);
        assertEquals(1, first.sampleCount());
        assertEquals(T0, first.lastUpdate());

        // 0.2·200 + 0.8·100 = 120; 0.2·(−0.0005) + 0.8·0.001 = 0.0007
        VenueStats second = first.update(ExecutionObservation.filled("SIM_A", 200, -0.0005, T0.plusSeconds(1)), 0.2);
        assertEquals(120.0, second.avgLatencyMs(), EPS);
        assertEquals(0.0007, second.avgSlippage(), EPS);
        assertEquals(1.0, second.successRate(), EPS);

        // A reject with an ack: latency 0.2·50 + 0.8·120 = 106, slippage unchanged, success 0.8·1 = 0.8
        VenueStats third = second.update(ExecutionObservation.failed("SIM_A", 50L, T0.plusSeconds(2)), 0.2);
        assertEquals(106.0, third.avgLatencyMs(), EPS);
        assertEquals(0.0007, third.avgSlippage(), EPS);
        assertEquals(0.8, third.successRate(), EPS);
        assertEquals(3, third.sampleCount());
        assertEquals(3, third.latencySamples());
        assertEquals(2, third.slippageSamples());
        assertEquals(T0.plusSeconds(2), third.lastUpdate());
        // the original record is unchanged (immutable)
        assertEquals(100.0, first.avgLatencyMs(), EPS);
    }

    @Test
    void rejectWithoutAckOnlyTeachesTheSuccessRate() {
        VenueStats stats = VenueStats.initial("SIM_A").update(ExecutionObservation.failed("SIM_A", null, T0), 0.2);
        assertTrue(stats.hasOutcome());
        assertFalse(stats.hasLatency());
        assertFalse(stats.hasSlippage());
        assertEquals(0.0, stats.successRate(), EPS);
        // the first latency sample still sets the average although it is the second observation
        VenueStats next = stats.update(ExecutionObservation.filled("SIM_A", 80, 0.0, T0), 0.2);
        assertEquals(80.0, next.avgLatencyMs(), EPS);
        assertEquals(0.2, next.successRate(), EPS);
    }

    @Test
    void rejectsObservationOfAnotherVenueAndBadAlpha() {
        VenueStats stats = VenueStats.initial("SIM_A");
        ExecutionObservation other = ExecutionObservation.filled("SIM_B", 10, 0, T0);
        assertThrows(IllegalArgumentException.class, () -> stats.update(other, 0.2));
        ExecutionObservation mine = ExecutionObservation.filled("SIM_A", 10, 0, T0);
        assertThrows(IllegalArgumentException.class, () -> stats.update(mine, 0.0));
        assertThrows(IllegalArgumentException.class, () -> stats.update(mine, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new VenueStatsBook(0));
    }

    @Test
    void bookKeepsTheLatestRecordPerVenue() {
        VenueStatsBook book = new VenueStatsBook();
        assertEquals(0.2, book.alpha(), EPS);
        assertEquals(VenueStats.initial("SIM_A"), book.get("SIM_A"));
        book.observe(ExecutionObservation.filled("SIM_B", 40, 0, T0));
        VenueStats returned = book.observe(ExecutionObservation.failed("SIM_B", 60L, T0));
        assertEquals(returned, book.get("SIM_B"));
        assertEquals(44.0, returned.avgLatencyMs(), EPS); // 0.2·60 + 0.8·40
        assertEquals(0.8, returned.successRate(), EPS);
        book.restore(new VenueStats("SIM_A", 10, 0, 1, 5, 5, 5, T0));
        assertEquals(2, book.all().size());
        assertEquals("SIM_A", book.all().iterator().next().venue());
    }

    @Test
    void evidenceHalvesEveryHalfLifeWithoutAnObservation() {
        Duration halfLife = Duration.ofMinutes(30);
        assertEquals(0.0, VenueStats.initial("SIM_A").evidenceWeight(T0, halfLife), EPS);
        VenueStats seen = VenueStats.initial("SIM_A").update(ExecutionObservation.filled("SIM_A", 10, 0, T0), 0.2);
        assertEquals(1.0, seen.evidenceWeight(T0, halfLife), EPS);
        assertEquals(1.0, seen.evidenceWeight(T0.minusSeconds(5), halfLife), EPS); // clock behind: no boost
        assertEquals(0.5, seen.evidenceWeight(T0.plus(halfLife), halfLife), EPS);
        assertEquals(0.25, seen.evidenceWeight(T0.plus(halfLife.multipliedBy(2)), halfLife), EPS);
        assertEquals(Math.sqrt(0.5), seen.evidenceWeight(T0.plus(Duration.ofMinutes(15)), halfLife), EPS);
        // Zero half-life switches fading off; a negative one is a programming error.
        assertEquals(1.0, seen.evidenceWeight(T0.plus(Duration.ofDays(30)), Duration.ZERO), EPS);
        assertThrows(IllegalArgumentException.class, () -> seen.evidenceWeight(T0, Duration.ofSeconds(-1)));
    }
}
