package io.tradergateway.risk;

import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * The pre-trade checks of SPEC 7, in order (the first that fails is the denial):
 * <ol>
 *   <li>open orders: at most {@code maxOpenOrders} working (a reduce-only exit is let through);</li>
 *   <li>quantity and notional of the order (not for a reduce-only exit);</li>
 *   <li>the symbol's position after the order, working orders counted, valued at the market (not for an exit);</li>
 *   <li>gross exposure across symbols after the order (not for an exit);</li>
 *   <li>the price collar: a limit further than {@code priceCollar} through the market (a buy above market x (1 +
 *       collar), a sell below market x (1 - collar)) is refused, exits included: a price that far off is an error,
 *       whatever the order is for.</li>
 * </ol>
 * The order rate is not checked here (it delays rather than refuses: see {@link RateLimiter}). Worked example with
 * the defaults: a buy of 3,000 AAPL at 100 is a notional of 300,000 &gt; 250,000: {@code risk_max_order_notional}.
 */
public final class RiskGate {
    private final RiskLimits limits;

    public RiskGate(RiskLimits limits) {
        this.limits = limits;
    }

    public RiskLimits limits() {
        return limits;
    }

    public Optional<RiskDenial> check(OrderIntent order, Exposure exposure) {
        Optional<BigDecimal> market = exposure.price(order.symbol());
        BigDecimal price = order.limitPrice() != null ? order.limitPrice() : market.orElse(null);
        if (limits.maxOpenOrders() > 0 && !order.reducing() && exposure.openOrders() >= limits.maxOpenOrders()) {
            return deny(RiskDenial.OPEN_ORDERS, exposure.openOrders() + " orders are working (limit "
                    + limits.maxOpenOrders() + ")");
        }
        if (!order.reducing()) {
            if (RiskLimits.on(limits.maxOrderQuantity()) && order.quantity().compareTo(limits.maxOrderQuantity()) > 0) {
                return deny(RiskDenial.ORDER_QUANTITY, "order quantity " + plain(order.quantity()) + " is above "
                        + plain(limits.maxOrderQuantity()));
            }
            if (price != null) {
                BigDecimal notional = order.quantity().multiply(price);
                if (RiskLimits.on(limits.maxOrderNotional()) && notional.compareTo(limits.maxOrderNotional()) > 0) {
                    return deny(RiskDenial.ORDER_NOTIONAL, "order notional " + money(notional) + " (" + plain(order.quantity())
                            + " x " + plain(price) + ") is above " + plain(limits.maxOrderNotional()));
                }
                BigDecimal signed = order.side() == Side.BUY ? order.quantity() : order.quantity().negate();
                BigDecimal after = exposure.position(order.symbol()).add(exposure.working(order.symbol())).add(signed).abs()
                        .multiply(market.orElse(price));
                if (RiskLimits.on(limits.maxPositionNotional()) && after.compareTo(limits.maxPositionNotional()) > 0) {
                    return deny(RiskDenial.POSITION_NOTIONAL, order.symbol() + " position with working orders would be "
                            + money(after) + " (limit " + plain(limits.maxPositionNotional()) + ")");
                }
                BigDecimal gross = exposure.grossNotional().add(notional);
                if (RiskLimits.on(limits.maxGrossNotional()) && gross.compareTo(limits.maxGrossNotional()) > 0) {
                    return deny(RiskDenial.GROSS_NOTIONAL, "gross exposure would be " + money(gross) + " (limit "
                            + plain(limits.maxGrossNotional()) + ")");
                }
            }
        }
        if (RiskLimits.on(limits.priceCollar()) && order.limitPrice() != null && market.isPresent()) {
            BigDecimal collar = limits.priceCollar();
            BigDecimal bound = order.side() == Side.BUY ? market.get().multiply(BigDecimal.ONE.add(collar))
                    : market.get().multiply(BigDecimal.ONE.subtract(collar));
            boolean through = order.side() == Side.BUY ? order.limitPrice().compareTo(bound) > 0
                    : order.limitPrice().compareTo(bound) < 0;
            if (through) {
                return deny(RiskDenial.PRICE_COLLAR, order.side().wireName() + " limit " + plain(order.limitPrice())
                        + " is more than " + collar.movePointRight(2).stripTrailingZeros().toPlainString()
                        + " % through the market " + plain(market.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<RiskDenial> deny(String code, String message) {
        return Optional.of(new RiskDenial(code, message));
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private static String money(BigDecimal d) {
        return d.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
