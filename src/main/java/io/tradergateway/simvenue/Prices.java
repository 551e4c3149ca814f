package io.tradergateway.simvenue;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Tick and lot arithmetic on BigDecimal. */
final class Prices {
    static final BigDecimal BPS = new BigDecimal("10000");

    private Prices() {
    }

    static BigDecimal roundToTick(BigDecimal price, BigDecimal tick, RoundingMode mode) {
        return price.divide(tick, 0, mode).multiply(tick).setScale(Math.max(tick.scale(), 0), RoundingMode.UNNECESSARY);
    }

    /** Largest multiple of the lot not above the quantity. */
    static BigDecimal floorToLot(BigDecimal quantity, BigDecimal lot) {
        return quantity.divide(lot, 0, RoundingMode.FLOOR).multiply(lot);
    }

    /** Smallest multiple of the lot not below the quantity. */
    static BigDecimal ceilToLot(BigDecimal quantity, BigDecimal lot) {
        return quantity.divide(lot, 0, RoundingMode.CEILING).multiply(lot);
    }

    /** A decimal as FIX should print it: no exponent, no trailing zeros. */
    static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0, RoundingMode.UNNECESSARY) : stripped;
    }
}
