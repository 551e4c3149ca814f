package io.tradergateway.report.review;

import io.tradergateway.domain.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/** The SPEC's slippage: signed adverse fraction of the expected price (positive = worse than expected). */
public final class Slippage {
    /** Decimals kept (1e-10 of the price, far below 0.1 bps). */
    public static final int SCALE = 10;

    private Slippage() {
    }

    /**
     * buy: (executed − expected) / expected; sell: (expected − executed) / expected.
     * E.g. a buy expected at 100 and executed at 100.05 slipped +0.0005 (5 bps).
     */
    public static BigDecimal adverseFraction(Side side, BigDecimal expectedPrice, BigDecimal executedPrice) {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(executedPrice, "executedPrice");
        if (expectedPrice == null || expectedPrice.signum() <= 0) {
            throw new IllegalArgumentException("expected price must be positive: " + expectedPrice);
        }
        BigDecimal worse = side == Side.BUY ? executedPrice.subtract(expectedPrice) : expectedPrice.subtract(executedPrice);
        return worse.divide(expectedPrice, SCALE, RoundingMode.HALF_EVEN);
    }
}
