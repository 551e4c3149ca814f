package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.OrderId;
import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/**
 * One order at one venue, as the engine knows it. Immutable: every change makes a new record that is
 * stored before anything else happens because of it.
 *
 * @param seqNo          the number inside the ClOrdID; cancel and replace requests derive their ids from it
 * @param sliceNo        TWAP child index (0 for single orders)
 * @param pendingRequest ClOrdID of our cancel/replace in flight, if any
 * @param requestCount   how many cancel/replace ids this order has used (ids stay unique across restarts)
 */
public record Order(
        ClOrdId clOrdId,
        long seqNo,
        String planId,
        Leg leg,
        int sliceNo,
        String venue,
        String symbol,
        Side side,
        OrderType type,
        TimeInForce timeInForce,
        BigDecimal quantity,
        BigDecimal limitPrice,
        Instant expireTime,
        OrderStatus status,
        BigDecimal cumQty,
        BigDecimal avgPx,
        BigDecimal fees,
        OrderId venueOrderId,
        BigDecimal expectedPrice,
        double venueScore,
        Instant createdAt,
        Instant sentAt,
        Instant ackedAt,
        ClOrdId pendingRequest,
        int requestCount,
        String text) {

    public BigDecimal leavesQty() {
        return status.isTerminal() ? BigDecimal.ZERO : quantity.subtract(cumQty).max(BigDecimal.ZERO);
    }

    /** Order sent to first venue answer (ack or fill), in ms; null while unanswered. */
    public Long latencyMs() {
        // Never negative: clocks are read on different threads, and a latency can only be measured, not be "early".
        return sentAt == null || ackedAt == null ? null : Math.max(0L, Duration.between(sentAt, ackedAt).toMillis());
    }

    public Order withStatus(OrderStatus next, String why) {
        return new Order(clOrdId, seqNo, planId, leg, sliceNo, venue, symbol, side, type, timeInForce, quantity,
                limitPrice, expireTime, next, cumQty, avgPx, fees, venueOrderId, expectedPrice, venueScore,
                createdAt, sentAt, ackedAt, next.isTerminal() ? null : pendingRequest, requestCount, why == null ? text : why);
    }

    public Order withSent(Instant at) {
        return new Order(clOrdId, seqNo, planId, leg, sliceNo, venue, symbol, side, type, timeInForce, quantity,
                limitPrice, expireTime, status, cumQty, avgPx, fees, venueOrderId, expectedPrice, venueScore,
                createdAt, at, ackedAt, pendingRequest, requestCount, text);
    }

    /** Records the venue's answer: its OrderID and, the first time, the acknowledgement time. */
    public Order withVenueAnswer(OrderId orderId, Instant at) {
        return new Order(clOrdId, seqNo, planId, leg, sliceNo, venue, symbol, side, type, timeInForce, quantity,
                limitPrice, expireTime, status, cumQty, avgPx, fees, orderId == null ? venueOrderId : orderId,
                expectedPrice, venueScore, createdAt, sentAt, ackedAt == null ? at : ackedAt, pendingRequest,
                requestCount, text);
    }

    /** Adds a fill to the cumulative quantity, average price and fees. */
    public Order withFill(BigDecimal qty, BigDecimal price, BigDecimal fee) {
        BigDecimal newCum = cumQty.add(qty);
        BigDecimal newAvg = cumQty.multiply(avgPx).add(qty.multiply(price)).divide(newCum, MathContext.DECIMAL64);
        return new Order(clOrdId, seqNo, planId, leg, sliceNo, venue, symbol, side, type, timeInForce, quantity,
                limitPrice, expireTime, status, newCum, newAvg.stripTrailingZeros(), fees.add(fee), venueOrderId,
                expectedPrice, venueScore, createdAt, sentAt, ackedAt, pendingRequest, requestCount, text);
    }

    public Order withPendingRequest(ClOrdId requestId) {
        return new Order(clOrdId, seqNo, planId, leg, sliceNo, venue, symbol, side, type, timeInForce, quantity,
                limitPrice, expireTime, status, cumQty, avgPx, fees, venueOrderId, expectedPrice, venueScore,
                createdAt, sentAt, ackedAt, requestId, requestId == null ? requestCount : requestCount + 1, text);
    }

    public Order withReplaced(BigDecimal newQty, BigDecimal newPrice) {
        return new Order(clOrdId, seqNo, planId, leg, sliceNo, venue, symbol, side, type, timeInForce, newQty,
                newPrice, expireTime, status, cumQty, avgPx, fees, venueOrderId, expectedPrice, venueScore,
                createdAt, sentAt, ackedAt, null, requestCount, text);
    }
}
