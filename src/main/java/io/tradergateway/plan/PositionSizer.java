package io.tradergateway.plan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Turns a plan's {@code position_size} (percent of portfolio equity) into an order quantity (SPEC §1):
 * <pre>quantity = floor(position_size / 100 × equity / referencePrice) to a multiple of lotSize</pre>
 * Exact {@link BigDecimal} arithmetic, rounding DOWN: a plan never buys more than its percentage, and the result can
 * be zero when the percentage does not pay for one lot (the caller must treat that as "too small to trade").
 */
public final class PositionSizer {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private PositionSizer() {
    }

    /**
     * @param positionSizePct percent of equity, {@code 2.5} = 2.5 %; must be ≥ 0
     * @param equity          portfolio equity in the price currency; must be ≥ 0
     * @param referencePrice  price per unit used for sizing; must be &gt; 0
     * @param lotSize         smallest tradable quantity increment; must be &gt; 0
     * @return a non-negative multiple of {@code lotSize} (carrying the lot size's scale)
     * @throws IllegalArgumentException on a null, negative or zero argument where not allowed (a bug upstream:
     *                                  plans are validated, configuration is validated at start-up)
     */
    public static BigDecimal quantity(BigDecimal positionSizePct, BigDecimal equity, BigDecimal referencePrice,
                                      BigDecimal lotSize) {
        requireAtLeastZero("positionSizePct", positionSizePct);
        requireAtLeastZero("equity", equity);
        requirePositive("referencePrice", referencePrice);
        requirePositive("lotSize", lotSize);
        // lots = (pct × equity) / (100 × price × lot), truncated: one exact division, no intermediate rounding
        BigDecimal lots = positionSizePct.multiply(equity)
                .divide(HUNDRED.multiply(referencePrice).multiply(lotSize), 0, RoundingMode.DOWN);
        return lots.multiply(lotSize);
    }

    /** Rounds a quantity down to a multiple of {@code lotSize}. */
    public static BigDecimal floorToLot(BigDecimal quantity, BigDecimal lotSize) {
        requireAtLeastZero("quantity", quantity);
        requirePositive("lotSize", lotSize);
        return quantity.divide(lotSize, 0, RoundingMode.DOWN).multiply(lotSize);
    }

    static void requirePositive(String name, BigDecimal value) {
        Objects.requireNonNull(value, name);
        if (value.signum() <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }

    static void requireAtLeastZero(String name, BigDecimal value) {
        Objects.requireNonNull(value, name);
        if (value.signum() < 0) throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
}
