package io.tradergateway.simvenue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An application request a venue received, read out of its FIX message on the QuickFIX/J thread and handed to the
 * market's single thread. Fields the message lacked are null; validation happens on the market thread.
 */
sealed interface VenueRequest {
    String venue();

    /** NewOrderSingle (35=D). side/ordType/timeInForce are the raw FIX chars. */
    record NewOrder(String venue, String clOrdId, String symbol, Character side, Character ordType,
                    BigDecimal quantity, BigDecimal price, Character timeInForce, Instant expireTime,
                    boolean possResend) implements VenueRequest { }

    /** OrderCancelRequest (35=F). */
    record Cancel(String venue, String clOrdId, String origClOrdId, String orderId, String symbol, Character side)
            implements VenueRequest { }

    /** OrderCancelReplaceRequest (35=G). */
    record Replace(String venue, String clOrdId, String origClOrdId, String orderId, String symbol, Character side,
                   Character ordType, BigDecimal quantity, BigDecimal price) implements VenueRequest { }

    /** OrderStatusRequest (35=H). */
    record Status(String venue, String clOrdId, String orderId, String symbol, Character side)
            implements VenueRequest { }

    /** MarketDataRequest (35=V). depth: MarketDepth(264), 0 = full book. */
    record MarketData(String venue, String mdReqId, char subscriptionType, int depth, Integer updateType,
                      Set<Character> entryTypes, List<String> symbols) implements VenueRequest { }

    /** A message the venue does not support: its BusinessMessageReject goes out in turn, after the ack delay. */
    record Refusal(String venue, quickfix.Message reject) implements VenueRequest { }

    /** SecurityListRequest (35=x). */
    record SecurityList(String venue, String securityReqId, int requestType, String symbol) implements VenueRequest { }
}
