package io.tradergateway.routing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What the plan demands of the venue that gets its order.
 *
 * @param quantity         order quantity, &gt; 0
 * @param maxSlippage      tolerated adverse slippage, fraction of the expected price (≥ 0; 0.001 = 10 bps)
 * @param maxLatencyMs     tolerated order → acknowledgement latency, &gt; 0
 * @param venuePreferences venue names in order of preference; empty = any venue
 */
public record OrderRequirements(BigDecimal quantity, BigDecimal maxSlippage, long maxLatencyMs,
                                List<String> venuePreferences) {
    public OrderRequirements {
        if (quantity == null || quantity.signum() <= 0) {
            throw new IllegalArgumentException("quantity must be positive: " + quantity);
        }
        if (maxSlippage == null || maxSlippage.signum() < 0) {
            throw new IllegalArgumentException("max slippage must not be negative: " + maxSlippage);
        }
        if (maxLatencyMs <= 0) {
            throw new IllegalArgumentException("max latency must be positive: " + maxLatencyMs);
        }
        venuePreferences = venuePreferences == null ? List.of() : List.copyOf(venuePreferences);
    }

    public boolean hasPreferences() {
        return !venuePreferences.isEmpty();
    }

    /** 0-based position of the venue in the preferences, -1 if absent (first occurrence counts). */
    public int preferenceIndex(String venue) {
        return venuePreferences.indexOf(Objects.requireNonNull(venue, "venue"));
    }
}
