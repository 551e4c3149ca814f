package io.tradergateway.plan;

import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/** Rounding of prices to an instrument's tick size. */
public final class PriceTicks {

    private PriceTicks() {
    }

    /**
     * {@code price} rounded to a multiple of {@code tick} with {@code mode}; the result has the tick's scale
     * ({@code roundToTick(101.237, 0.01, FLOOR) = 101.23}, {@code roundToTick(101.20, 0.05, CEILING) = 101.20}).
     *
     * @throws IllegalArgumentException when the tick is not positive
     */
    public static BigDecimal roundToTick(BigDecimal price, BigDecimal tick, RoundingMode mode) {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(mode, "mode");
        PositionSizer.requirePositive("tick", tick);
        return price.divide(tick, 0, mode).multiply(tick);
    }

    /**
     * A limit price rounded "passively": a buy rounds down, a sell rounds up, so the order never pays more
     * (or receives less) than the plan's price. Use it for every limit price derived from a plan (the entry price
     * of a {@code limit} plan, a slippage cap of expected × (1 ± max_slippage)).
     */
    public static BigDecimal passiveLimit(BigDecimal price, BigDecimal tick, Side side) {
        Objects.requireNonNull(side, "side");
        return roundToTick(price, tick, side == Side.BUY ? RoundingMode.FLOOR : RoundingMode.CEILING);
    }

    /** True when {@code price} is an exact multiple of {@code tick}. */
    public static boolean isOnTick(BigDecimal price, BigDecimal tick) {
        Objects.requireNonNull(price, "price");
        PositionSizer.requirePositive("tick", tick);
        return price.remainder(tick).signum() == 0;
    }
}
