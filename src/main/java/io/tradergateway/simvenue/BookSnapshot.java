package io.tradergateway.simvenue;

import java.math.BigDecimal;
import java.util.List;

/** A copy of one venue's book for one symbol: bids best (highest) first, offers best (lowest) first. */
public record BookSnapshot(List<PriceLevel> bids, List<PriceLevel> offers) {
    public BookSnapshot {
        bids = List.copyOf(bids);
        offers = List.copyOf(offers);
    }

    public BigDecimal bestBid() {
        return bids.isEmpty() ? null : bids.get(0).price();
    }

    public BigDecimal bestOffer() {
        return offers.isEmpty() ? null : offers.get(0).price();
    }
}
