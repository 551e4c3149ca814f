package io.tradergateway.position;

import java.math.BigDecimal;

/**
 * The exit levels of one plan position, every one optional (null = not set). Plain values so that this
 * package does not depend on the plan package.
 *
 * @param stopLoss       exit price on the losing side
 * @param takeProfit     exit price on the winning side
 * @param priceAbove     exit condition: price ≥ this
 * @param priceBelow     exit condition: price ≤ this
 * @param maxHoldSeconds exit condition: held at least this long, &gt; 0
 * @param trailingStop   exit condition: fraction in (0, 1) the price may give back from its best since entry
 */
public record ExitRules(BigDecimal stopLoss, BigDecimal takeProfit, BigDecimal priceAbove, BigDecimal priceBelow,
                        Long maxHoldSeconds, BigDecimal trailingStop) {
    public ExitRules {
        requirePositive("stop_loss", stopLoss);
        requirePositive("take_profit", takeProfit);
        requirePositive("price_above", priceAbove);
        requirePositive("price_below", priceBelow);
        if (maxHoldSeconds != null && maxHoldSeconds <= 0) {
            throw new IllegalArgumentException("max_hold_seconds must be positive: " + maxHoldSeconds);
        }
        if (trailingStop != null && (trailingStop.signum() <= 0 || trailingStop.compareTo(BigDecimal.ONE) >= 0)) {
            throw new IllegalArgumentException("trailing_stop must be a fraction in (0, 1): " + trailingStop);
        }
    }

    /** No exit level at all (only a manual exit ends the position). */
    public static ExitRules none() {
        return new ExitRules(null, null, null, null, null, null);
    }

    /** Only a stop loss and a take profit, either may be null. */
    public static ExitRules stopAndTarget(BigDecimal stopLoss, BigDecimal takeProfit) {
        return new ExitRules(stopLoss, takeProfit, null, null, null, null);
    }

    private static void requirePositive(String name, BigDecimal value) {
        if (value != null && value.signum() <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
