package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.OrderId;
import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/**
 * One order at one venue, as the engine knows it, in three parts: where it comes from ({@link Origin}, fixed for its
 * life), what the venue was asked ({@link Terms}, which a replace changes) and what has happened to it since
 * ({@link Progress}). Immutable: every change makes a new record that is stored before anything else happens because
 * of it. The parts' fields are read through the order ({@code order.symbol()}, {@code order.cumQty()}).
 */
public record Order(Origin origin, Terms terms, Progress progress) {

    /**
     * Where the order comes from and why it went where it did; fixed for its life.
     *
     * @param seqNo         the number inside the ClOrdID; cancel and replace requests derive their ids from it
     * @param sliceNo       TWAP child index (0 for single orders)
     * @param expectedPrice the price the engine expected when it routed the order (slippage is measured against it)
     * @param venueScore    the venue's routing score when it was chosen
     */
    public record Origin(ClOrdId clOrdId, long seqNo, String planId, Leg leg, int sliceNo, String venue,
                         BigDecimal expectedPrice, double venueScore, Instant createdAt) {
    }

    /** What the venue was asked: a replace changes the quantity and the limit. */
    public record Terms(String symbol, Side side, OrderType type, TimeInForce timeInForce, BigDecimal quantity,
                        BigDecimal limitPrice, Instant expireTime) {

        Terms replaced(BigDecimal newQty, BigDecimal newPrice) {
            return new Terms(symbol, side, type, timeInForce, newQty, newPrice, expireTime);
        }
    }

    /**
     * What has happened to the order since it was created.
     *
     * @param pendingRequest ClOrdID of our cancel/replace in flight, if any
     * @param requestCount   how many cancel/replace ids this order has used (ids stay unique across restarts)
     * @param text           the last reason given (a venue's text, a reject's cause)
     */
    public record Progress(OrderStatus status, BigDecimal cumQty, BigDecimal avgPx, BigDecimal fees, OrderId venueOrderId,
                           Instant sentAt, Instant ackedAt, ClOrdId pendingRequest, int requestCount, String text) {

        /** A new order: {@code PENDING_NEW}, nothing filled, no venue answer yet. */
        public static Progress pendingNew(Instant sentAt) {
            return new Progress(OrderStatus.PENDING_NEW, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, sentAt,
                    null, null, 0, null);
        }

        Progress withStatus(OrderStatus next, String why) {
            return new Progress(next, cumQty, avgPx, fees, venueOrderId, sentAt, ackedAt,
                    next.isTerminal() ? null : pendingRequest, requestCount, why == null ? text : why);
        }

        Progress withSent(Instant at) {
            return new Progress(status, cumQty, avgPx, fees, venueOrderId, at, ackedAt, pendingRequest, requestCount, text);
        }

        Progress withVenueAnswer(OrderId orderId, Instant at) {
            return new Progress(status, cumQty, avgPx, fees, orderId == null ? venueOrderId : orderId, sentAt,
                    ackedAt == null ? at : ackedAt, pendingRequest, requestCount, text);
        }

        Progress withFill(BigDecimal qty, BigDecimal price, BigDecimal fee) {
            BigDecimal newCum = cumQty.add(qty);
            BigDecimal newAvg = cumQty.multiply(avgPx).add(qty.multiply(price)).divide(newCum, MathContext.DECIMAL64);
            return new Progress(status, newCum, newAvg.stripTrailingZeros(), fees.add(fee), venueOrderId, sentAt, ackedAt,
                    pendingRequest, requestCount, text);
        }

        Progress withPendingRequest(ClOrdId requestId) {
            return new Progress(status, cumQty, avgPx, fees, venueOrderId, sentAt, ackedAt, requestId,
                    requestId == null ? requestCount : requestCount + 1, text);
        }

        Progress withoutPendingRequest() {
            return new Progress(status, cumQty, avgPx, fees, venueOrderId, sentAt, ackedAt, null, requestCount, text);
        }
    }

    public ClOrdId clOrdId() {
        return origin.clOrdId();
    }

    public long seqNo() {
        return origin.seqNo();
    }

    public String planId() {
        return origin.planId();
    }

    public Leg leg() {
        return origin.leg();
    }

    public int sliceNo() {
        return origin.sliceNo();
    }

    public String venue() {
        return origin.venue();
    }

    public BigDecimal expectedPrice() {
        return origin.expectedPrice();
    }

    public double venueScore() {
        return origin.venueScore();
    }

    public Instant createdAt() {
        return origin.createdAt();
    }

    public String symbol() {
        return terms.symbol();
    }

    public Side side() {
        return terms.side();
    }

    public OrderType type() {
        return terms.type();
    }

    public TimeInForce timeInForce() {
        return terms.timeInForce();
    }

    public BigDecimal quantity() {
        return terms.quantity();
    }

    public BigDecimal limitPrice() {
        return terms.limitPrice();
    }

    public Instant expireTime() {
        return terms.expireTime();
    }

    public OrderStatus status() {
        return progress.status();
    }

    public BigDecimal cumQty() {
        return progress.cumQty();
    }

    public BigDecimal avgPx() {
        return progress.avgPx();
    }

    public BigDecimal fees() {
        return progress.fees();
    }

    public OrderId venueOrderId() {
        return progress.venueOrderId();
    }

    public Instant sentAt() {
        return progress.sentAt();
    }

    public Instant ackedAt() {
        return progress.ackedAt();
    }

    public ClOrdId pendingRequest() {
        return progress.pendingRequest();
    }

    public int requestCount() {
        return progress.requestCount();
    }

    public String text() {
        return progress.text();
    }

    public BigDecimal leavesQty() {
        return status().isTerminal() ? BigDecimal.ZERO : quantity().subtract(cumQty()).max(BigDecimal.ZERO);
    }

    /** Order sent to first venue answer (ack or fill), in ms; null while unanswered. */
    public Long latencyMs() {
        // Never negative: clocks are read on different threads, and a latency can only be measured, not be "early".
        Instant sent = sentAt();
        Instant acked = ackedAt();
        return sent == null || acked == null ? null : Math.max(0L, Duration.between(sent, acked).toMillis());
    }

    public Order withStatus(OrderStatus next, String why) {
        return new Order(origin, terms, progress.withStatus(next, why));
    }

    public Order withSent(Instant at) {
        return new Order(origin, terms, progress.withSent(at));
    }

    /** Records the venue's answer: its OrderID and, the first time, the acknowledgement time. */
    public Order withVenueAnswer(OrderId orderId, Instant at) {
        return new Order(origin, terms, progress.withVenueAnswer(orderId, at));
    }

    /** Adds a fill to the cumulative quantity, average price and fees. */
    public Order withFill(BigDecimal qty, BigDecimal price, BigDecimal fee) {
        return new Order(origin, terms, progress.withFill(qty, price, fee));
    }

    public Order withPendingRequest(ClOrdId requestId) {
        return new Order(origin, terms, progress.withPendingRequest(requestId));
    }

    public Order withReplaced(BigDecimal newQty, BigDecimal newPrice) {
        return new Order(origin, terms.replaced(newQty, newPrice), progress.withoutPendingRequest());
    }
}
