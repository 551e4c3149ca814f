package io.tradergateway.market;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * What walking a venue's book says about an order of a given size.
 *
 * @param requested    the quantity asked about
 * @param fillable     how much of it the visible book can fill (≤ requested)
 * @param averagePrice volume-weighted average price of the fillable part; empty when nothing is fillable
 * @param worstPrice   price of the last level touched; empty when nothing is fillable
 */
public record FillEstimate(BigDecimal requested, BigDecimal fillable, Optional<BigDecimal> averagePrice,
                           Optional<BigDecimal> worstPrice) {

    /** True when the visible book can fill the whole requested quantity. */
    public boolean complete() {
        return fillable.compareTo(requested) >= 0;
    }
}
