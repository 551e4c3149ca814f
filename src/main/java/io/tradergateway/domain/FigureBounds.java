package io.tradergateway.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The figures the gateway can keep: its tables hold prices and money as {@code DECIMAL(24, 10)} (14 integer digits, 10
 * decimals) and quantities as {@code DECIMAL(24, 8)}. A venue's figure beyond them is not used as it is: stored, it
 * would fail every later write of the tables (too large), or the tables would round what memory keeps exact.
 */
public final class FigureBounds {
    /** 10^14: prices from here up cannot be stored. */
    public static final BigDecimal MAX_PRICE = BigDecimal.TEN.pow(14);
    /** Decimals kept of a price or an amount of money. */
    public static final int PRICE_DECIMALS = 10;
    /** Decimals kept of a quantity. */
    public static final int QUANTITY_DECIMALS = 8;

    private FigureBounds() {
    }

    /** Whether {@code price} is positive and below {@link #MAX_PRICE}. */
    public static boolean usablePrice(BigDecimal price) {
        return price != null && price.signum() > 0 && price.compareTo(MAX_PRICE) < 0;
    }

    /** How many decimals {@code value} needs (none for an integer, whatever its written scale). */
    public static int decimals(BigDecimal value) {
        return Math.max(0, value.stripTrailingZeros().scale());
    }

    /** An amount of money (a fee) as the tables keep it: at most {@link #PRICE_DECIMALS} decimals, half-even. */
    public static BigDecimal money(BigDecimal amount) {
        return amount.scale() <= PRICE_DECIMALS ? amount : amount.setScale(PRICE_DECIMALS, RoundingMode.HALF_EVEN);
    }
}
