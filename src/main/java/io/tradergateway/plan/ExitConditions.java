package io.tradergateway.plan;

import java.math.BigDecimal;

/**
 * Conditions of which ANY ONE triggers an exit of an open position (SPEC §1 {@code exit_conditions}).
 * Every field is optional (null = no such condition).
 *
 * @param priceAbove     exit when the market price is strictly above this
 * @param priceBelow     exit when the market price is strictly below this
 * @param maxHoldSeconds exit when the position has been held this many seconds
 * @param trailingStop   a fraction: exit when the price has retraced this much from the best price since entry
 *                       ({@code 0.02} = 2 %: a long exits at or below best × 0.98, a short at or above best × 1.02)
 */
public record ExitConditions(BigDecimal priceAbove, BigDecimal priceBelow, Long maxHoldSeconds,
                             BigDecimal trailingStop) {

    public static final ExitConditions NONE = new ExitConditions(null, null, null, null);

    /** Some condition is on the price (all but {@code max_hold_seconds}). */
    public boolean needsPrice() {
        return priceAbove != null || priceBelow != null || trailingStop != null;
    }

    public boolean isEmpty() {
        return priceAbove == null && priceBelow == null && maxHoldSeconds == null && trailingStop == null;
    }
}
