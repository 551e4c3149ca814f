package io.tradergateway.plan;

import java.math.BigDecimal;

/**
 * Conditions that must ALL hold before a plan's entry order is sent (SPEC §1 {@code entry_conditions}).
 * Every field is optional (null = no such condition); no condition at all means "enter immediately".
 *
 * @param priceAbove          enter only while the market price is strictly above this
 * @param priceBelow          enter only while the market price is strictly below this
 * @param volumeSpike         enter only when the traded quantity in the rolling window is at least this
 * @param volatilityThreshold enter only when the volatility (fraction) in the rolling window is at least this
 */
public record EntryConditions(BigDecimal priceAbove, BigDecimal priceBelow, BigDecimal volumeSpike,
                              BigDecimal volatilityThreshold) {

    public static final EntryConditions NONE = new EntryConditions(null, null, null, null);

    public boolean isEmpty() {
        return priceAbove == null && priceBelow == null && volumeSpike == null && volatilityThreshold == null;
    }
}
