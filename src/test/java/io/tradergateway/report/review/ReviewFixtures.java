package io.tradergateway.report.review;

import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/** The executions both test classes look at, with hand-computed expectations in each test. */
final class ReviewFixtures {
    private ReviewFixtures() {
    }

    static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    /** Common plan limits: 10 bps, 250 ms, 100 requested. */
    static ExecutionFacts.Builder base() {
        return ExecutionFacts.builder().maxSlippage(d("0.001")).maxLatencyMs(250).requestedQuantity(d("100"));
    }

    /** At the expected price, 50 ms, all filled, first preference, after 12.5 s of waiting for the entry. */
    static ExecutionFacts perfect() {
        return base().expectedPrice(d("100")).executedAvgPrice(d("100.00")).slippage(d("0"))
                .latencyMs(50L).filledQuantity(d("100")).venue("SIM_A").venuePreferences(List.of("SIM_A", "SIM_B"))
                .waitedForEntry(Duration.ofMillis(12_500)).build();
    }

    /** 3.2 bps slippage but 412 ms latency. */
    static ExecutionFacts slow() {
        return base().expectedPrice(d("100")).executedAvgPrice(d("100.032")).slippage(d("0.00032"))
                .latencyMs(412L).filledQuantity(d("100")).venue("SIM_A").venuePreferences(List.of("SIM_A")).build();
    }

    /** A buy expected at 100 executed at 100.15: 15 bps against 10. */
    static ExecutionFacts slipped() {
        return base().expectedPrice(d("100")).executedAvgPrice(d("100.15"))
                .slippage(Slippage.adverseFraction(Side.BUY, d("100"), d("100.15")))
                .latencyMs(80L).filledQuantity(d("100")).venue("SIM_A").build();
    }

    /** 40 of 100 at the second-preference venue, 5 bps, 100 ms. */
    static ExecutionFacts partial() {
        return base().expectedPrice(d("100")).executedAvgPrice(d("100.05")).slippage(d("0.0005"))
                .latencyMs(100L).filledQuantity(d("40")).venue("SIM_CHEAP")
                .venuePreferences(List.of("SIM_FAST", "SIM_CHEAP")).build();
    }

    /** Rejected by the venue after 30 ms, nothing filled. */
    static ExecutionFacts rejected() {
        return base().expectedPrice(d("100")).latencyMs(30L).venue("SIM_A").venuePreferences(List.of("SIM_A"))
                .failed(true).errorMessage("unknown symbol").build();
    }

    /** Refused at validation because it had expired: never sized, never routed. */
    static ExecutionFacts expiredAtValidation() {
        return base().requestedQuantity(BigDecimal.ZERO).validAtExecution(false).failed(true)
                .errorMessage("plan expired").build();
    }

    /** Accepted, waited 300 s for entry conditions that never held, cancelled at valid_until. */
    static ExecutionFacts expiredWaiting() {
        return base().expectedPrice(d("100")).validAtExecution(false).waitedForEntry(Duration.ofSeconds(300))
                .errorMessage("valid_until passed before the entry conditions held").build();
    }
}
