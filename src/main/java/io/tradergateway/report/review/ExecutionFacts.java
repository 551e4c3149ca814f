package io.tradergateway.report.review;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The measured figures of one execution (an entry or an exit of a plan, so far or at its end), as the
 * review and the adherence score see them. Build with {@link #builder()}.
 *
 * @param expectedPrice      the plan's expected price (entry price or reference price); null if never priced
 * @param executedAvgPrice   average price of what filled; required when {@code filledQuantity > 0}
 * @param slippage           signed adverse fraction ({@link Slippage}); required when {@code filledQuantity > 0}
 * @param maxSlippage        the plan's max_slippage (fraction, ≥ 0)
 * @param latencyMs          order sent → first venue acknowledgement/fill; null when not measured
 * @param maxLatencyMs       the plan's max_latency_ms, &gt; 0
 * @param requestedQuantity  the order quantity of this leg (≥ 0; 0 when the plan failed before sizing)
 * @param filledQuantity     executed so far (≥ 0)
 * @param venue              the venue the order went to; null when it never reached a venue
 * @param venuePreferences   the plan's venue_preferences (empty = any)
 * @param validAtExecution   executed (or, when nothing filled, ended) before valid_until; pass true for an
 *                           exit leg, since valid_until bounds the entry only
 * @param waitedForEntry     time between plan acceptance and the entry conditions holding; null if none
 * @param failed             the execution ended as {@code failed} (validation, venue reject, error)
 * @param errorMessage       why it failed or was cancelled; may be null
 * @param leg                "entry" or "exit"
 * @param exitReason         for an exit: stop_loss, take_profit, condition_met or manual; else null
 * @param pnlImpact          realized P&amp;L of this execution (exits); null when unknown/irrelevant
 */
public record ExecutionFacts(BigDecimal expectedPrice, BigDecimal executedAvgPrice, BigDecimal slippage,
                             BigDecimal maxSlippage, Long latencyMs, long maxLatencyMs,
                             BigDecimal requestedQuantity, BigDecimal filledQuantity, String venue,
                             List<String> venuePreferences, boolean validAtExecution, Duration waitedForEntry,
                             boolean failed, String errorMessage, String leg, String exitReason,
                             BigDecimal pnlImpact) {
    public static final String ENTRY = "entry";
    public static final String EXIT = "exit";

    public ExecutionFacts {
        if (maxSlippage == null || maxSlippage.signum() < 0) {
            throw new IllegalArgumentException("max slippage must not be negative: " + maxSlippage);
        }
        if (maxLatencyMs <= 0) {
            throw new IllegalArgumentException("max latency must be positive: " + maxLatencyMs);
        }
        if (latencyMs != null && latencyMs < 0) {
            throw new IllegalArgumentException("latency must not be negative: " + latencyMs);
        }
        if (requestedQuantity == null || requestedQuantity.signum() < 0) {
            throw new IllegalArgumentException("requested quantity must not be negative: " + requestedQuantity);
        }
        if (filledQuantity == null || filledQuantity.signum() < 0) {
            throw new IllegalArgumentException("filled quantity must not be negative: " + filledQuantity);
        }
        if (filledQuantity.signum() > 0 && (executedAvgPrice == null || slippage == null)) {
            throw new IllegalArgumentException("a fill needs its executed price and slippage: " + filledQuantity);
        }
        if (waitedForEntry != null && waitedForEntry.isNegative()) {
            throw new IllegalArgumentException("negative wait for entry: " + waitedForEntry);
        }
        Objects.requireNonNull(leg, "leg");
        if (!leg.equals(ENTRY) && !leg.equals(EXIT)) {
            throw new IllegalArgumentException("leg must be entry or exit: " + leg);
        }
        venuePreferences = venuePreferences == null ? List.of() : List.copyOf(venuePreferences);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** filled / requested in [0, 1]; 0 when nothing was requested. */
    public double fillRatio() {
        if (requestedQuantity.signum() == 0) {
            return 0;
        }
        return Math.min(1.0, filledQuantity.doubleValue() / requestedQuantity.doubleValue());
    }

    public boolean anythingFilled() {
        return filledQuantity.signum() > 0;
    }

    public boolean isExit() {
        return leg.equals(EXIT);
    }

    /** Fluent builder; defaults: nothing filled, no preferences, valid, not failed, entry leg. */
    public static final class Builder {
        private BigDecimal expectedPrice;
        private BigDecimal executedAvgPrice;
        private BigDecimal slippage;
        private BigDecimal maxSlippage;
        private Long latencyMs;
        private long maxLatencyMs;
        private BigDecimal requestedQuantity = BigDecimal.ZERO;
        private BigDecimal filledQuantity = BigDecimal.ZERO;
        private String venue;
        private List<String> venuePreferences = List.of();
        private boolean validAtExecution = true;
        private Duration waitedForEntry;
        private boolean failed;
        private String errorMessage;
        private String leg = ENTRY;
        private String exitReason;
        private BigDecimal pnlImpact;

        private Builder() {
        }

        public Builder expectedPrice(BigDecimal value) { expectedPrice = value; return this; }
        public Builder executedAvgPrice(BigDecimal value) { executedAvgPrice = value; return this; }
        public Builder slippage(BigDecimal value) { slippage = value; return this; }
        public Builder maxSlippage(BigDecimal value) { maxSlippage = value; return this; }
        public Builder latencyMs(Long value) { latencyMs = value; return this; }
        public Builder maxLatencyMs(long value) { maxLatencyMs = value; return this; }
        public Builder requestedQuantity(BigDecimal value) { requestedQuantity = value; return this; }
        public Builder filledQuantity(BigDecimal value) { filledQuantity = value; return this; }
        public Builder venue(String value) { venue = value; return this; }
        public Builder venuePreferences(List<String> value) { venuePreferences = value; return this; }
        public Builder validAtExecution(boolean value) { validAtExecution = value; return this; }
        public Builder waitedForEntry(Duration value) { waitedForEntry = value; return this; }
        public Builder failed(boolean value) { failed = value; return this; }
        public Builder errorMessage(String value) { errorMessage = value; return this; }
        public Builder leg(String value) { leg = value; return this; }
        public Builder exitReason(String value) { exitReason = value; return this; }
        public Builder pnlImpact(BigDecimal value) { pnlImpact = value; return this; }

        public ExecutionFacts build() {
            return new ExecutionFacts(expectedPrice, executedAvgPrice, slippage, maxSlippage, latencyMs, maxLatencyMs,
                    requestedQuantity, filledQuantity, venue, venuePreferences, validAtExecution, waitedForEntry,
                    failed, errorMessage, leg, exitReason, pnlImpact);
        }
    }
}
