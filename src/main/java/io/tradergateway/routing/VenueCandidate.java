package io.tradergateway.routing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A venue as the selector sees it at the moment an order is routed.
 *
 * @param venue                venue name
 * @param sessionUp            the venue's FIX session is logged on
 * @param listsSymbol          the venue trades the order's symbol
 * @param depthWithinSlippage  quantity available within {@code max_slippage} of the expected price on the
 *                             side the order takes (asks for a buy, bids for a sell); ≥ 0
 * @param stats                what has been learned about the venue so far
 */
public record VenueCandidate(String venue, boolean sessionUp, boolean listsSymbol, BigDecimal depthWithinSlippage,
                             VenueStats stats) {
    public VenueCandidate {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(stats, "stats");
        if (depthWithinSlippage == null || depthWithinSlippage.signum() < 0) {
            throw new IllegalArgumentException("depth must not be negative for " + venue + ": " + depthWithinSlippage);
        }
        if (!stats.venue().equals(venue)) {
            throw new IllegalArgumentException("stats of " + stats.venue() + " given for venue " + venue);
        }
    }
}
