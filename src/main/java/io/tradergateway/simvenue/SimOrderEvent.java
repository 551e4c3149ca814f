package io.tradergateway.simvenue;

import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One application message a venue received from the gateway, as received (before any validation).
 *
 * @param venue       the venue (acceptor session SenderCompID)
 * @param msgType     FIX MsgType: D NewOrderSingle, F cancel, G cancel/replace, H status request
 * @param clOrdId     ClOrdID(11)
 * @param origClOrdId OrigClOrdID(41) for F/G, else null
 * @param symbol      Symbol(55), null if absent
 * @param side        Side(54), null if absent or not buy/sell
 * @param quantity    OrderQty(38), null if absent
 * @param price       Price(44), null if absent
 * @param receivedAt  when it arrived
 */
public record SimOrderEvent(String venue, String msgType, String clOrdId, String origClOrdId, String symbol,
                            Side side, BigDecimal quantity, BigDecimal price, Instant receivedAt) {
    public static final String NEW_ORDER_SINGLE = "D";
    public static final String CANCEL_REQUEST = "F";
    public static final String CANCEL_REPLACE_REQUEST = "G";
    public static final String STATUS_REQUEST = "H";

    public boolean isNewOrder() {
        return NEW_ORDER_SINGLE.equals(msgType);
    }
}
