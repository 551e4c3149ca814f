package io.tradergateway.report.review;

import static io.tradergateway.report.review.ReviewFixtures.base;
import static io.tradergateway.report.review.ReviewFixtures.d;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tradergateway.domain.Side;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutionReviewTest {
    private final ExecutionReview reviewer = new ExecutionReview();

    @Test
    void perfectExecution() {
        Review r = reviewer.review(ReviewFixtures.perfect());
        assertEquals(List.of(
                "Filled the full quantity of 100",
                "Executed at the expected price 100 (0.0 bps slippage)",
                "Latency 50 ms within the 250 ms limit",
                "Routed to the first-preference venue SIM_A",
                "Entry conditions held after 12.5 s and the order executed before valid_until"), r.whatWorked());
        assertEquals(List.of(), r.whatDidntWork());
        assertEquals(List.of("Keep SIM_A for similar orders: slippage 0.0 bps, latency 50 ms, 100 % filled"),
                r.lessonsLearned());
    }

    @Test
    void slowExecution() {
        Review r = reviewer.review(ReviewFixtures.slow());
        assertEquals(List.of(
                "Filled the full quantity of 100",
                "Slippage 3.2 bps within the 10.0 bps limit",
                "Routed to the first-preference venue SIM_A",
                "Executed before valid_until"), r.whatWorked());
        assertEquals(List.of("Latency 412 ms exceeded the 250 ms limit"), r.whatDidntWork());
        assertEquals(List.of("SIM_A answered in 412 ms against a 250 ms limit: prefer a faster venue or raise max_latency_ms"),
                r.lessonsLearned());
    }

    @Test
    void slippedExecution() {
        Review r = reviewer.review(ReviewFixtures.slipped());
        assertEquals(List.of(
                "Filled the full quantity of 100",
                "Latency 80 ms within the 250 ms limit",
                "Executed before valid_until"), r.whatWorked());
        assertEquals(List.of("Slippage 15.0 bps exceeded the 10.0 bps limit (expected 100, executed 100.15)"),
                r.whatDidntWork());
        assertEquals(List.of("SIM_A slipped 15.0 bps against a 10.0 bps limit: use a limit order, "
                + "split the order (twap) or prefer a deeper venue"), r.lessonsLearned());
    }

    @Test
    void partialFill() {
        Review r = reviewer.review(ReviewFixtures.partial());
        assertEquals(List.of(
                "Slippage 5.0 bps within the 10.0 bps limit",
                "Latency 100 ms within the 250 ms limit",
                "Executed before valid_until"), r.whatWorked());
        assertEquals(List.of(
                "Filled only 40 % of the order (40 of 100)",
                "Routed to SIM_CHEAP, preference 2 of 2, not the first preference SIM_FAST"), r.whatDidntWork());
        assertEquals(List.of(
                "SIM_CHEAP filled only 40 % of the order: prefer a deeper venue for this size",
                "SIM_FAST was passed over for SIM_CHEAP: check its FIX session and its learned score in GET /v1/venues"),
                r.lessonsLearned());
    }

    @Test
    void venueReject() {
        Review r = reviewer.review(ReviewFixtures.rejected());
        assertEquals(List.of("Latency 30 ms within the 250 ms limit", "Routed to the first-preference venue SIM_A"),
                r.whatWorked());
        assertEquals(List.of("Execution failed at SIM_A: unknown symbol"), r.whatDidntWork());
        assertEquals(List.of("SIM_A did not execute the order (unknown symbol): its learned success rate drops, "
                + "so other venues rank higher next time"), r.lessonsLearned());
    }

    @Test
    void failedBeforeRoutingBecauseExpired() {
        Review r = reviewer.review(ReviewFixtures.expiredAtValidation());
        assertEquals(List.of(), r.whatWorked());
        assertEquals(List.of("Execution failed before reaching a venue: plan expired", "Plan expired before execution"),
                r.whatDidntWork());
        assertEquals(List.of("The plan was refused before routing (plan expired): correct it upstream before re-sending",
                "The plan was already past valid_until: send plans sooner or extend valid_until"), r.lessonsLearned());
    }

    @Test
    void expiredWhileWaitingForEntryConditions() {
        Review r = reviewer.review(ReviewFixtures.expiredWaiting());
        assertEquals(List.of(), r.whatWorked());
        assertEquals(List.of(
                "Cancelled: valid_until passed before the entry conditions held",
                "Nothing was filled (0 of 100)",
                "Plan expired before execution after waiting 300 s for the entry conditions"), r.whatDidntWork());
        assertEquals(List.of("Entry conditions did not hold within 300 s: widen them or extend valid_until"),
                r.lessonsLearned());
    }

    @Test
    void stopLossExitWithSellSlippage() {
        ExecutionFacts exit = base().leg(ExecutionFacts.EXIT).exitReason("stop_loss").pnlImpact(d("-50.00"))
                .expectedPrice(d("95")).executedAvgPrice(d("94.95"))
                .slippage(Slippage.adverseFraction(Side.SELL, d("95"), d("94.95"))) // 0.05/95 = 5.26 bps
                .latencyMs(40L).filledQuantity(d("100")).venue("SIM_A").build();
        Review r = reviewer.review(exit);
        assertEquals(List.of("Filled the full quantity of 100", "Slippage 5.3 bps within the 10.0 bps limit",
                "Latency 40 ms within the 250 ms limit"), r.whatWorked());
        assertEquals(List.of("stop_loss exit realized -50 P&L"), r.whatDidntWork());
        assertEquals(List.of("The stop loss limited the loss to -50: review the entry timing or the stop distance"),
                r.lessonsLearned());
    }

    @Test
    void takeProfitExitWithPriceImprovement() {
        ExecutionFacts exit = base().leg(ExecutionFacts.EXIT).exitReason("take_profit").pnlImpact(d("120.5"))
                .expectedPrice(d("100")).executedAvgPrice(d("100.02"))
                .slippage(Slippage.adverseFraction(Side.SELL, d("100"), d("100.02")))
                .latencyMs(20L).filledQuantity(d("100")).venue("SIM_B").build();
        Review r = reviewer.review(exit);
        assertEquals(List.of("Filled the full quantity of 100",
                "Price improvement of 2.0 bps: executed 100.02 vs expected 100",
                "Latency 20 ms within the 250 ms limit",
                "take_profit exit realized +120.5 P&L"), r.whatWorked());
        assertEquals(List.of(), r.whatDidntWork());
        assertEquals(List.of("Keep SIM_B for similar orders: slippage -2.0 bps, latency 20 ms, 100 % filled"),
                r.lessonsLearned());
    }

    @Test
    void nonPreferredVenueAndNoAcknowledgement() {
        ExecutionFacts f = base().expectedPrice(d("100")).venue("SIM_Z").venuePreferences(List.of("SIM_A", "SIM_B"))
                .failed(true).errorMessage("no answer within 5000 ms").build();
        Review r = reviewer.review(f);
        assertEquals(List.of(
                "Execution failed at SIM_Z: no answer within 5000 ms",
                "No acknowledgement from SIM_Z was received",
                "Routed to SIM_Z, which is not among the venue preferences [SIM_A, SIM_B]"), r.whatDidntWork());
        assertEquals("SIM_Z never acknowledged the order: check its FIX session before routing there again",
                r.lessonsLearned().get(1));
    }

    @Test
    void sentencesFollowTheFigures() {
        ExecutionFacts faster = base().expectedPrice(d("100")).executedAvgPrice(d("100")).slippage(d("0"))
                .latencyMs(90L).filledQuantity(d("100")).venue("SIM_A").build();
        ExecutionFacts slower = base().expectedPrice(d("100")).executedAvgPrice(d("100")).slippage(d("0"))
                .latencyMs(91L).filledQuantity(d("100")).venue("SIM_A").build();
        assertNotEquals(reviewer.review(faster), reviewer.review(slower));
    }

    @Test
    void slippageHelperAndFactValidation() {
        assertEquals(0, d("0.0005").compareTo(Slippage.adverseFraction(Side.BUY, d("100"), d("100.05"))));
        assertEquals(0, d("-0.0005").compareTo(Slippage.adverseFraction(Side.SELL, d("100"), d("100.05"))));
        assertThrows(IllegalArgumentException.class, () -> Slippage.adverseFraction(Side.BUY, d("0"), d("1")));
        assertThrows(IllegalArgumentException.class, () -> base().filledQuantity(d("1")).build());
        assertThrows(IllegalArgumentException.class, () -> base().leg("middle").build());
        assertThrows(IllegalArgumentException.class, () -> base().maxLatencyMs(0).build());
    }
}
