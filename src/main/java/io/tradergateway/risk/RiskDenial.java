package io.tradergateway.risk;

/**
 * Why the risk gate refused an order: a stable {@code code} ({@code risk_max_order_notional}, ...) for programs and
 * metrics, and a message for people that names the figures.
 */
public record RiskDenial(String code, String message) {
    public static final String ORDER_NOTIONAL = "risk_max_order_notional";
    public static final String ORDER_QUANTITY = "risk_max_order_quantity";
    public static final String POSITION_NOTIONAL = "risk_max_position_notional";
    public static final String GROSS_NOTIONAL = "risk_max_gross_notional";
    public static final String PRICE_COLLAR = "risk_price_collar";
    public static final String RATE = "risk_max_orders_per_second";
    public static final String OPEN_ORDERS = "risk_max_open_orders";
    public static final String TRADING_STATE = "risk_trading_state";

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
