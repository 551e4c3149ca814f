package io.tradergateway.simvenue;

import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** A venue's working state of one order. Mutable, confined to the market's single thread. */
final class SimOrder {
    static final char MARKET = '1';
    static final char LIMIT = '2';
    static final char DAY = '0';
    static final char GTC = '1';
    static final char IOC = '3';
    static final char FOK = '4';
    static final char GTD = '6';

    /** FIX OrdStatus(39) values. */
    enum Status {
        NEW('0'), PARTIALLY_FILLED('1'), FILLED('2'), CANCELED('4'), REJECTED('8'), EXPIRED('C');

        final char fix;

        Status(char fix) {
            this.fix = fix;
        }

        boolean isTerminal() {
            return this == FILLED || this == CANCELED || this == REJECTED || this == EXPIRED;
        }
    }

    final String venue;
    final String orderId;
    final String symbol;
    final Side side;
    final char ordType;
    final char timeInForce;
    final Instant expireTime;
    String clOrdId;
    BigDecimal quantity;
    BigDecimal price;
    BigDecimal cumQty = BigDecimal.ZERO;
    BigDecimal notional = BigDecimal.ZERO;
    Status status = Status.NEW;
    /** False for orders scripted never to fill (or a market remainder parked by a scripted partial). */
    boolean matchable = true;
    /** Maximum quantity filled per matching pass when the venue works the order in slices, else null. */
    BigDecimal sliceQuantity;
    /** Set when the order sits on the venue's resting list. */
    boolean resting;

    SimOrder(String venue, String orderId, String clOrdId, String symbol, Side side, char ordType, char timeInForce,
             Instant expireTime, BigDecimal quantity, BigDecimal price) {
        this.venue = venue;
        this.orderId = orderId;
        this.clOrdId = clOrdId;
        this.symbol = symbol;
        this.side = side;
        this.ordType = ordType;
        this.timeInForce = timeInForce;
        this.expireTime = expireTime;
        this.quantity = quantity;
        this.price = price;
    }

    boolean isBuy() {
        return side == Side.BUY;
    }

    boolean isLimit() {
        return ordType == LIMIT;
    }

    /** The price limit for matching: the limit price, or null (any price) for a market order. */
    BigDecimal limit() {
        return isLimit() ? price : null;
    }

    BigDecimal leaves() {
        return status.isTerminal() ? BigDecimal.ZERO : quantity.subtract(cumQty);
    }

    BigDecimal avgPx() {
        if (cumQty.signum() == 0) return BigDecimal.ZERO;
        return Prices.plain(notional.divide(cumQty, 6, RoundingMode.HALF_EVEN));
    }

    boolean isLive() {
        return !status.isTerminal();
    }

    String describe() {
        return side + " " + Prices.plain(quantity).toPlainString() + " " + symbol + " "
                + (isLimit() ? "LMT " + price.toPlainString() : "MKT") + " " + tifName(timeInForce);
    }

    static String tifName(char tif) {
        return switch (tif) {
            case DAY -> "DAY";
            case GTC -> "GTC";
            case IOC -> "IOC";
            case FOK -> "FOK";
            case GTD -> "GTD";
            default -> "TIF=" + tif;
        };
    }
}
