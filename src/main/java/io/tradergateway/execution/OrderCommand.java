package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** What the engine asks a venue to do; the FIX adapter turns each into one FIX message. */
public sealed interface OrderCommand {
    String venue();

    /** NewOrderSingle (35=D). {@code limitPrice} is null for market orders, {@code expireTime} set only for GTD. */
    record NewOrder(String venue, ClOrdId clOrdId, String symbol, Side side, OrderType type, BigDecimal quantity,
                    BigDecimal limitPrice, TimeInForce timeInForce, Instant expireTime, Instant transactTime)
            implements OrderCommand {
    }

    /** OrderCancelRequest (35=F). */
    record Cancel(String venue, ClOrdId clOrdId, ClOrdId origClOrdId, String symbol, Side side, BigDecimal quantity,
                  Instant transactTime) implements OrderCommand {
    }

    /** OrderCancelReplaceRequest (35=G). */
    record Replace(String venue, ClOrdId clOrdId, ClOrdId origClOrdId, String symbol, Side side, OrderType type,
                   BigDecimal quantity, BigDecimal limitPrice, TimeInForce timeInForce, Instant expireTime,
                   Instant transactTime) implements OrderCommand {
    }

    /** OrderStatusRequest (35=H): used to reconcile orders whose outcome we do not know after a restart. */
    record StatusRequest(String venue, ClOrdId clOrdId, String symbol, Side side) implements OrderCommand {
    }

    /** MarketDataRequest (35=V) subscribing to book and trades for the symbols. */
    record SubscribeMarketData(String venue, String requestId, List<String> symbols) implements OrderCommand {
    }
}
