package io.tradergateway.risk;

import java.math.BigDecimal;

/**
 * The limits of the pre-trade risk gate, from the {@code risk.*} settings. A limit of zero or less is off.
 *
 * @param maxOrderNotional    largest notional (quantity x price) of one order
 * @param maxOrderQuantity    largest quantity of one order
 * @param maxPositionNotional largest absolute position per symbol after the order, working orders counted
 * @param maxGrossNotional    largest sum of absolute positions and working orders across symbols
 * @param priceCollar         fraction: a limit price further than this through the market is refused
 * @param maxOrdersPerSecond  per venue; orders beyond it wait (bounded by {@code maxRateWaitMs}), never burst
 * @param maxOpenOrders       working orders at once
 * @param maxRateWaitMs       how long an order may wait for the rate limit before it is refused
 */
public record RiskLimits(BigDecimal maxOrderNotional, BigDecimal maxOrderQuantity, BigDecimal maxPositionNotional,
                         BigDecimal maxGrossNotional, BigDecimal priceCollar, int maxOrdersPerSecond, int maxOpenOrders,
                         long maxRateWaitMs) {

    /**
     * Defaults that protect a desk that sets nothing, sized for the default equity of 1,000,000: no order above
     * 250,000 or 100,000 units, no symbol above 500,000, no more than 2,000,000 gross, limits at most 5 % through the
     * market, 50 orders a second per venue (waiting up to 2 s), 500 working orders.
     */
    public static RiskLimits defaults() {
        return new RiskLimits(new BigDecimal("250000"), new BigDecimal("100000"), new BigDecimal("500000"),
                new BigDecimal("2000000"), new BigDecimal("0.05"), 50, 500, 2000);
    }

    /** Every limit off (tests and benchmarks that measure something else). */
    public static RiskLimits none() {
        return new RiskLimits(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0, 0, 0);
    }

    static boolean on(BigDecimal limit) {
        return limit != null && limit.signum() > 0;
    }
}
