package io.tradergateway.execution;

import io.tradergateway.domain.FigureBounds;
import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Checks a venue's ExecutionReport against the order it claims to be about, before anything is booked. A report that
 * fails is quarantined by {@link VenueEvents}: stored as received, never booked, flagged for an operator. Pure
 * functions; the rules, in order:
 * <ul>
 *   <li>its Symbol (55) and Side (54), when present, are the order's;</li>
 *   <li>a fill's LastQty (32) and LastPx (31) are positive, LastPx below {@link FigureBounds#MAX_PRICE}, neither
 *       with more decimals than the tables keep (8 and 10: memory would hold what the tables round), and its
 *       Commission (12), when present, not more than the fill's value either way (a rebate is a negative
 *       commission);</li>
 *   <li>the fill does not take the order past its OrderQty, and the venue's CumQty (14) is not above it (no
 *       tolerance: a venue never fills more than it was asked to);</li>
 *   <li>a limit order's fill is not worse than its limit;</li>
 *   <li>LastPx is within {@value #PRICE_BAND_PERCENT} % of the gateway's market price for the symbol, when it has
 *       one;</li>
 *   <li>AvgPx (6), when the venue reports a positive CumQty, is positive, and when its CumQty agrees with ours after
 *       the fill, within 1 % of the average of the fills.</li>
 * </ul>
 * A status answer (ExecType I) that reports more filled than booked is checked the same way on its CumQty and on the
 * price it implies for the part not booked yet. Before all of these, on every report ({@link #ids}): its ExecID (17) and
 * OrderID (37) are ids the gateway can store, at most {@value #MAX_EXEC_ID} and {@value #MAX_ORDER_ID} characters
 * (the columns that hold them) and without control characters (PostgreSQL text cannot hold U+0000).
 */
final class ReportCheck {
    static final int PRICE_BAND_PERCENT = 10;
    private static final BigDecimal PRICE_BAND = BigDecimal.valueOf(PRICE_BAND_PERCENT).movePointLeft(2);

    /** Longest ExecID the gateway books (the {@code fills.exec_id} column). */
    static final int MAX_EXEC_ID = 128;
    /** Longest OrderID the gateway keeps (the {@code orders.venue_order_id} column); our ClOrdIDs are no longer. */
    static final int MAX_ORDER_ID = 64;

    private ReportCheck() {
    }

    /** Why the report's ExecID or OrderID cannot be stored, or empty when both can. */
    static Optional<String> ids(VenueExecutionReport r) {
        Optional<String> exec = id("ExecID", r.execId() == null ? null : r.execId().value(), MAX_EXEC_ID);
        if (exec.isPresent()) return exec;
        return id("OrderID", r.orderId() == null ? null : r.orderId().value(), MAX_ORDER_ID);
    }

    private static Optional<String> id(String name, String value, int max) {
        if (value == null) return Optional.empty();
        if (value.length() > max) {
            return Optional.of(name + " is " + value.length() + " characters long (at most " + max + ")");
        }
        if (!printable(value)) return Optional.of(name + " holds a control character");
        return Optional.empty();
    }

    /** Whether {@code id} could be a ClOrdID the gateway issued: printable and not longer than its ids. */
    static boolean couldBeOurs(String id) {
        return id != null && id.length() <= MAX_ORDER_ID && printable(id);
    }

    /** {@code id} as it can be stored and shown: control characters as U+FFFD, cut to {@code max} characters. */
    static String storable(String id, int max) {
        StringBuilder out = new StringBuilder(Math.min(id.length(), max));
        for (int i = 0; i < id.length() && out.length() < max; i++) {
            char c = id.charAt(i);
            out.append(Character.isISOControl(c) ? '\uFFFD' : c);
        }
        return out.toString();
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) return false;
        }
        return true;
    }

    /** Why this fill report cannot be booked against {@code order}, or empty when it can. */
    static Optional<String> fill(Order order, VenueExecutionReport r, Optional<BigDecimal> market) {
        Optional<String> identity = identity(order, r);
        if (identity.isPresent()) return identity;
        if (r.lastQty() == null || r.lastQty().signum() <= 0) return Optional.of("LastQty " + text(r.lastQty()) + " is not positive");
        if (r.lastPx() == null || r.lastPx().signum() <= 0) return Optional.of("LastPx " + text(r.lastPx()) + " is not positive");
        if (FigureBounds.decimals(r.lastQty()) > FigureBounds.QUANTITY_DECIMALS) {
            return Optional.of("LastQty " + text(r.lastQty()) + " has more decimals than the gateway keeps ("
                    + FigureBounds.QUANTITY_DECIMALS + ")");
        }
        if (FigureBounds.decimals(r.lastPx()) > FigureBounds.PRICE_DECIMALS) {
            return Optional.of("LastPx " + text(r.lastPx()) + " has more decimals than the gateway keeps ("
                    + FigureBounds.PRICE_DECIMALS + ")");
        }
        BigDecimal after = order.cumQty().add(r.lastQty());
        if (after.compareTo(order.quantity()) > 0) {
            return Optional.of("LastQty " + text(r.lastQty()) + " would fill " + text(after) + " of an order for "
                    + text(order.quantity()));
        }
        if (r.cumQty() != null && r.cumQty().compareTo(order.quantity()) > 0) {
            return Optional.of("CumQty " + text(r.cumQty()) + " is above the order's quantity " + text(order.quantity()));
        }
        Optional<String> price = price(order, r.lastPx(), "LastPx", market);
        if (price.isPresent()) return price;
        BigDecimal value = r.lastQty().multiply(r.lastPx());
        if (r.commission() != null && r.commission().abs().compareTo(value) > 0) {
            return Optional.of("Commission " + text(r.commission()) + " is more than the fill's value " + text(value));
        }
        if (r.avgPx() != null && r.cumQty() != null && r.cumQty().signum() > 0 && r.avgPx().signum() <= 0) {
            return Optional.of("AvgPx " + text(r.avgPx()) + " is not positive with CumQty " + text(r.cumQty()));
        }
        if (r.avgPx() != null && r.cumQty() != null && r.cumQty().compareTo(after) == 0) {
            // The venue's CumQty agrees with ours after this fill: its AvgPx must be (about) ours too.
            BigDecimal ours = order.cumQty().multiply(order.avgPx()).add(r.lastQty().multiply(r.lastPx()))
                    .divide(after, MathContext.DECIMAL64);
            BigDecimal off = r.avgPx().subtract(ours).abs().divide(ours, MathContext.DECIMAL64);
            if (off.compareTo(AVG_PX_TOLERANCE) > 0) {
                return Optional.of("AvgPx " + text(r.avgPx()) + " does not match the fills (" + text(ours.setScale(6,
                        RoundingMode.HALF_EVEN)) + " for CumQty " + text(after) + ")");
            }
        }
        return Optional.empty();
    }

    /** How far a venue's AvgPx may be from the average of its fills (rounding of its own): 1 %. */
    private static final BigDecimal AVG_PX_TOLERANCE = new BigDecimal("0.01");

    /** Why a status answer's figures cannot be booked as a reconciliation fill, or empty when they can. */
    static Optional<String> statusAnswer(Order order, VenueExecutionReport r, Optional<BigDecimal> market) {
        Optional<String> identity = identity(order, r);
        if (identity.isPresent()) return identity;
        if (r.cumQty() == null || r.cumQty().compareTo(order.cumQty()) <= 0) return Optional.empty(); // nothing to book
        if (r.cumQty().compareTo(order.quantity()) > 0) {
            return Optional.of("status answer CumQty " + text(r.cumQty()) + " is above the order's quantity " + text(order.quantity()));
        }
        if (r.avgPx() == null || r.avgPx().signum() <= 0) {
            return Optional.of("status answer AvgPx " + text(r.avgPx()) + " with CumQty " + text(r.cumQty()) + " is not positive");
        }
        return price(order, missingPrice(order, r), "the price implied for the unbooked part", market);
    }

    /** The average price of what the status answer says filled beyond what is booked. */
    static BigDecimal missingPrice(Order order, VenueExecutionReport r) {
        BigDecimal missing = r.cumQty().subtract(order.cumQty());
        return r.cumQty().multiply(r.avgPx()).subtract(order.cumQty().multiply(order.avgPx()))
                .divide(missing, MathContext.DECIMAL64);
    }

    static Optional<String> identity(Order order, VenueExecutionReport r) {
        if (r.symbol() != null && !r.symbol().equals(order.symbol())) {
            return Optional.of("symbol " + r.symbol() + " is not the order's " + order.symbol());
        }
        if (r.side() != null && r.side() != order.side()) {
            return Optional.of("side " + r.side().wireName() + " is not the order's " + order.side().wireName());
        }
        return Optional.empty();
    }

    private static Optional<String> price(Order order, BigDecimal px, String what, Optional<BigDecimal> market) {
        if (px.signum() <= 0) return Optional.of(what + " " + text(px) + " is not positive");
        if (px.compareTo(FigureBounds.MAX_PRICE) >= 0) {
            return Optional.of(what + " " + text(px) + " is beyond what the gateway books (below " + text(FigureBounds.MAX_PRICE) + ")");
        }
        if (order.type() == OrderType.LIMIT && order.limitPrice() != null) {
            int vsLimit = px.compareTo(order.limitPrice());
            boolean worse = order.side() == Side.BUY ? vsLimit > 0 : vsLimit < 0;
            if (worse) return Optional.of(what + " " + text(px) + " is worse than the order's limit " + text(order.limitPrice()));
        }
        if (market.isPresent() && market.get().signum() > 0) {
            BigDecimal off = px.subtract(market.get()).abs().divide(market.get(), MathContext.DECIMAL64);
            if (off.compareTo(PRICE_BAND) > 0) {
                return Optional.of(what + " " + text(px) + " is " + off.movePointRight(2).setScale(1, RoundingMode.HALF_UP)
                        .toPlainString() + " % from the market " + text(market.get()) + " (band " + PRICE_BAND_PERCENT + " %)");
            }
        }
        return Optional.empty();
    }

    private static String text(BigDecimal d) {
        return d == null ? "missing" : d.stripTrailingZeros().toPlainString();
    }
}
