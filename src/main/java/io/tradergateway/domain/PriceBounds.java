package io.tradergateway.domain;

import java.math.BigDecimal;

/**
 * The prices the gateway can use: positive and below {@link #MAX}, since its tables keep prices as
 * {@code DECIMAL(24, 10)}, 14 integer digits. A venue's price outside them (a fill, a quote, a trade print) is not
 * used: stored, it would fail every later write of the tables.
 */
public final class PriceBounds {
    /** 10^14: prices from here up cannot be stored. */
    public static final BigDecimal MAX = BigDecimal.TEN.pow(14);

    private PriceBounds() {
    }

    /** Whether {@code price} is positive and below {@link #MAX}. */
    public static boolean usable(BigDecimal price) {
        return price != null && price.signum() > 0 && price.compareTo(MAX) < 0;
    }
}
