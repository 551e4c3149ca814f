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
 * @param evidenceWeight       how much {@code stats} still count now, in [0, 1] (see
 *                             {@link VenueStats#evidenceWeight}); the scorer's priors fill the rest
 */
public record VenueCandidate(String venue, boolean sessionUp, boolean listsSymbol, BigDecimal depthWithinSlippage,
                             VenueStats stats, double evidenceWeight) {
    /** A candidate whose learned stats count in full. */
    public VenueCandidate(String venue, boolean sessionUp, boolean listsSymbol, BigDecimal depthWithinSlippage,
                          VenueStats stats) {
        this(venue, sessionUp, listsSymbol, depthWithinSlippage, stats, 1.0);
    }

    public VenueCandidate {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(stats, "stats");
        if (depthWithinSlippage == null || depthWithinSlippage.signum() < 0) {
            throw new IllegalArgumentException("depth must not be negative for " + venue + ": " + depthWithinSlippage);
        }
        if (!(evidenceWeight >= 0 && evidenceWeight <= 1)) {
            throw new IllegalArgumentException("evidence weight outside [0, 1] for " + venue + ": " + evidenceWeight);
        }
        if (!stats.venue().equals(venue)) {
            throw new IllegalArgumentException("stats of " + stats.venue() + " given for venue " + venue);
        }
    }
}
