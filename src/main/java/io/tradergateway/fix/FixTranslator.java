package io.tradergateway.fix;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.OrderId;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.ExecType;
import io.tradergateway.execution.OrderCommand;
import io.tradergateway.execution.OrderStatus;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.TimeInForce;
import io.tradergateway.execution.VenueCancelReject;
import io.tradergateway.execution.VenueExecutionReport;
import quickfix.FieldMap;
import quickfix.FieldNotFound;
import quickfix.Group;
import quickfix.Message;
import quickfix.field.AvgPx;
import quickfix.field.ClOrdID;
import quickfix.field.CumQty;
import quickfix.field.ExecID;
import quickfix.field.ExpireTime;
import quickfix.field.HandlInst;
import quickfix.field.LastPx;
import quickfix.field.LastQty;
import quickfix.field.LeavesQty;
import quickfix.field.MarketDepth;
import quickfix.field.MDEntryType;
import quickfix.field.MDReqID;
import quickfix.field.MDUpdateType;
import quickfix.field.MsgType;
import quickfix.field.NoMDEntryTypes;
import quickfix.field.NoRelatedSym;
import quickfix.field.OrdStatus;
import quickfix.field.OrdType;
import quickfix.field.OrderID;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.PossDupFlag;
import quickfix.field.Price;
import quickfix.field.RoundLot;
import quickfix.field.SecurityListRequestType;
import quickfix.field.SecurityReqID;
import quickfix.field.SubscriptionRequestType;
import quickfix.field.Symbol;
import quickfix.field.Text;
import quickfix.field.TransactTime;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where FIX 4.4 messages and domain records meet. Prices and quantities are read and written
 * as decimal strings (never through double) so that what the venue sent is what the domain sees.
 */
public final class FixTranslator {
    /** MinPriceIncrement, a FIX 5.0 tag our dictionary adds to SecurityList's NoRelatedSym group. */
    static final int MIN_PRICE_INCREMENT = 969;
    /** Commission (12): the venue's fee for a fill, read with CommType (13) by {@link #fee(Message)}. */
    static final int COMMISSION = 12;

    private FixTranslator() {
    }

    // ---------------------------------------------------------------- outbound

    public static Message toFix(OrderCommand command) {
        // Java 17 has no pattern switch: an instanceof chain over the sealed command types.
        if (command instanceof OrderCommand.NewOrder o) return newOrderSingle(o);
        if (command instanceof OrderCommand.Cancel c) return cancelRequest(c);
        if (command instanceof OrderCommand.Replace r) return replaceRequest(r);
        if (command instanceof OrderCommand.StatusRequest s) return statusRequest(s);
        if (command instanceof OrderCommand.SubscribeMarketData m) return marketDataRequest(m);
        throw new IllegalArgumentException("unknown command " + command);
    }

    static Message newOrderSingle(OrderCommand.NewOrder o) {
        quickfix.fix44.NewOrderSingle msg = new quickfix.fix44.NewOrderSingle();
        msg.setString(ClOrdID.FIELD, o.clOrdId().value());
        orderTerms(msg, o.symbol(), o.side(), o.transactTime(), o.quantity(), o.type(), o.limitPrice(), o.timeInForce(), o.expireTime());
        return msg;
    }

    static Message cancelRequest(OrderCommand.Cancel c) {
        quickfix.fix44.OrderCancelRequest msg = new quickfix.fix44.OrderCancelRequest();
        msg.setString(OrigClOrdID.FIELD, c.origClOrdId().value());
        msg.setString(ClOrdID.FIELD, c.clOrdId().value());
        msg.setString(Symbol.FIELD, c.symbol());
        msg.setChar(quickfix.field.Side.FIELD, side(c.side()));
        msg.setUtcTimeStamp(TransactTime.FIELD, utc(c.transactTime()), true);
        msg.setString(OrderQty.FIELD, c.quantity().toPlainString());
        return msg;
    }

    static Message replaceRequest(OrderCommand.Replace r) {
        quickfix.fix44.OrderCancelReplaceRequest msg = new quickfix.fix44.OrderCancelReplaceRequest();
        msg.setString(OrigClOrdID.FIELD, r.origClOrdId().value());
        msg.setString(ClOrdID.FIELD, r.clOrdId().value());
        orderTerms(msg, r.symbol(), r.side(), r.transactTime(), r.quantity(), r.type(), r.limitPrice(), r.timeInForce(), r.expireTime());
        return msg;
    }

    /** The terms a NewOrderSingle and an OrderCancelReplaceRequest both carry. */
    private static void orderTerms(Message msg, String symbol, Side side, Instant transactTime, BigDecimal quantity,
                                   OrderType type, BigDecimal limitPrice, TimeInForce tif, Instant expireTime) {
        msg.setChar(HandlInst.FIELD, HandlInst.AUTOMATED_EXECUTION_ORDER_PRIVATE_NO_BROKER_INTERVENTION);
        msg.setString(Symbol.FIELD, symbol);
        msg.setChar(quickfix.field.Side.FIELD, side(side));
        msg.setUtcTimeStamp(TransactTime.FIELD, utc(transactTime), true);
        msg.setString(OrderQty.FIELD, quantity.toPlainString());
        msg.setChar(OrdType.FIELD, type == OrderType.MARKET ? OrdType.MARKET : OrdType.LIMIT);
        if (limitPrice != null) msg.setString(Price.FIELD, limitPrice.toPlainString());
        msg.setChar(quickfix.field.TimeInForce.FIELD, timeInForce(tif));
        if (expireTime != null) msg.setUtcTimeStamp(ExpireTime.FIELD, utc(expireTime), true);
    }

    static Message statusRequest(OrderCommand.StatusRequest s) {
        quickfix.fix44.OrderStatusRequest msg = new quickfix.fix44.OrderStatusRequest();
        msg.setString(ClOrdID.FIELD, s.clOrdId().value());
        msg.setString(Symbol.FIELD, s.symbol());
        msg.setChar(quickfix.field.Side.FIELD, side(s.side()));
        return msg;
    }

    static Message marketDataRequest(OrderCommand.SubscribeMarketData m) {
        quickfix.fix44.MarketDataRequest msg = new quickfix.fix44.MarketDataRequest();
        msg.setString(MDReqID.FIELD, m.requestId());
        msg.setChar(SubscriptionRequestType.FIELD, SubscriptionRequestType.SNAPSHOT_UPDATES);
        msg.setInt(MarketDepth.FIELD, 0);
        msg.setInt(MDUpdateType.FIELD, MDUpdateType.INCREMENTAL_REFRESH);
        for (char type : new char[]{MDEntryType.BID, MDEntryType.OFFER, MDEntryType.TRADE}) {
            Group g = new quickfix.fix44.MarketDataRequest.NoMDEntryTypes();
            g.setChar(MDEntryType.FIELD, type);
            msg.addGroup(g);
        }
        for (String symbol : m.symbols()) {
            Group g = new quickfix.fix44.MarketDataRequest.NoRelatedSym();
            g.setString(Symbol.FIELD, symbol);
            msg.addGroup(g);
        }
        return msg;
    }

    public static Message securityListRequest(String requestId) {
        quickfix.fix44.SecurityListRequest msg = new quickfix.fix44.SecurityListRequest();
        msg.setString(SecurityReqID.FIELD, requestId);
        msg.setInt(SecurityListRequestType.FIELD, SecurityListRequestType.ALL_SECURITIES);
        return msg;
    }

    // ---------------------------------------------------------------- inbound

    public static VenueExecutionReport executionReport(String venue, Message msg, Instant receivedAt) throws FieldNotFound {
        String orig = optString(msg, OrigClOrdID.FIELD);
        return new VenueExecutionReport(
                venue,
                new ClOrdId(msg.getString(ClOrdID.FIELD)),
                orig == null ? null : new ClOrdId(orig),
                new OrderId(msg.getString(OrderID.FIELD)),
                new ExecId(msg.getString(ExecID.FIELD)),
                execType(msg.getChar(quickfix.field.ExecType.FIELD)),
                ordStatus(msg.getChar(OrdStatus.FIELD)),
                msg.getString(Symbol.FIELD),
                side(msg.getChar(quickfix.field.Side.FIELD)),
                optDecimal(msg, LastQty.FIELD),
                optDecimal(msg, LastPx.FIELD),
                optDecimal(msg, CumQty.FIELD),
                optDecimal(msg, LeavesQty.FIELD),
                optDecimal(msg, AvgPx.FIELD),
                fee(msg),
                optString(msg, Text.FIELD),
                msg.isSetField(TransactTime.FIELD) ? msg.getUtcTimeStamp(TransactTime.FIELD).toInstant(ZoneOffset.UTC) : receivedAt,
                possDup(msg),
                receivedAt);
    }

    /** CommType (13). */
    static final int COMM_TYPE = 13;

    /**
     * The fill's fee as an absolute amount in the venue's (the instrument's) currency, from Commission (12) read with
     * CommType (13): {@code 1} per unit (× LastQty), {@code 6} points per contract (× LastQty, no multiplier: our
     * instruments are shares), {@code 2} percent (× LastQty × LastPx / 100), {@code 3} absolute; a missing CommType,
     * and any other value, is taken as absolute. Null without a Commission, or when a per-unit or percentage
     * commission comes without the LastQty (and LastPx) it needs (the report is then no fill).
     */
    static BigDecimal fee(Message msg) {
        BigDecimal commission = optDecimal(msg, COMMISSION);
        if (commission == null) return null;
        String type = optString(msg, COMM_TYPE);
        BigDecimal lastQty = optDecimal(msg, LastQty.FIELD);
        BigDecimal lastPx = optDecimal(msg, LastPx.FIELD);
        if ("1".equals(type) || "6".equals(type)) return lastQty == null ? null : commission.multiply(lastQty);
        if ("2".equals(type)) {
            return lastQty == null || lastPx == null ? null : commission.multiply(lastQty).multiply(lastPx).movePointLeft(2);
        }
        return commission;
    }

    /**
     * One of our order messages (D, F, G) as sent, kept by MsgSeqNum: a session Reject (35=3) or a BusinessMessageReject
     * (35=j) names the message it refuses only by that number.
     */
    public record SentOrderMessage(String msgType, ClOrdId clOrdId, ClOrdId origClOrdId) {
    }

    /** The order message we are sending, or null if {@code msg} is not a NewOrderSingle, cancel or replace. */
    static SentOrderMessage sentOrderMessage(Message msg) {
        String type = optString(msg.getHeader(), MsgType.FIELD);
        if (!MsgType.ORDER_SINGLE.equals(type) && !MsgType.ORDER_CANCEL_REQUEST.equals(type)
                && !MsgType.ORDER_CANCEL_REPLACE_REQUEST.equals(type)) {
            return null;
        }
        String clOrdId = optString(msg, ClOrdID.FIELD);
        String orig = optString(msg, OrigClOrdID.FIELD);
        return clOrdId == null ? null : new SentOrderMessage(type, new ClOrdId(clOrdId), orig == null ? null : new ClOrdId(orig));
    }

    /** Why the venue refused a message at session (35=3) or business (35=j) level, for logs and reports. */
    static String refusal(Message reject) {
        boolean session = MsgType.REJECT.equals(optString(reject.getHeader(), MsgType.FIELD));
        String reason = optString(reject, session ? quickfix.field.SessionRejectReason.FIELD : quickfix.field.BusinessRejectReason.FIELD);
        String text = optString(reject, Text.FIELD);
        return (session ? "session-level Reject (35=3" : "BusinessMessageReject (35=j")
                + (reason == null ? "" : ", reason " + reason)
                + (session && reject.isSetField(quickfix.field.RefTagID.FIELD) ? ", tag " + optString(reject, quickfix.field.RefTagID.FIELD) : "")
                + ")" + (text == null ? "" : ": " + text);
    }

    /** A NewOrderSingle refused at session or business level: for the engine, the venue rejected the order. */
    static VenueExecutionReport orderRefused(String venue, Message reject, SentOrderMessage sent, int refSeqNum,
                                             Instant receivedAt) {
        return new VenueExecutionReport(venue, sent.clOrdId(), null, null,
                new ExecId("REFUSED-" + venue + "-" + refSeqNum), ExecType.REJECTED, OrderStatus.REJECTED, null, null,
                null, null, BigDecimal.ZERO, BigDecimal.ZERO, null, null, refusal(reject), receivedAt, false, receivedAt);
    }

    /** A cancel or replace request refused at session or business level: for the engine, a cancel reject. */
    static VenueCancelReject requestRefused(String venue, Message reject, SentOrderMessage sent, Instant receivedAt) {
        return new VenueCancelReject(venue, sent.clOrdId(), sent.origClOrdId(), null,
                MsgType.ORDER_CANCEL_REPLACE_REQUEST.equals(sent.msgType()), refusal(reject), receivedAt);
    }

    public static VenueCancelReject cancelReject(String venue, Message msg, Instant receivedAt) throws FieldNotFound {
        String orig = optString(msg, OrigClOrdID.FIELD);
        if ("NONE".equals(orig)) orig = null; // venues fill the required tag with NONE when they know no original order
        char responseTo = msg.isSetField(quickfix.field.CxlRejResponseTo.FIELD)
                ? msg.getChar(quickfix.field.CxlRejResponseTo.FIELD) : quickfix.field.CxlRejResponseTo.ORDER_CANCEL_REQUEST;
        return new VenueCancelReject(
                venue,
                new ClOrdId(msg.getString(ClOrdID.FIELD)),
                orig == null ? null : new ClOrdId(orig),
                msg.isSetField(OrdStatus.FIELD) ? ordStatus(msg.getChar(OrdStatus.FIELD)) : null,
                responseTo == quickfix.field.CxlRejResponseTo.ORDER_CANCEL_REPLACE_REQUEST,
                optString(msg, Text.FIELD),
                receivedAt);
    }

    public static List<Instrument> securityList(Message msg) throws FieldNotFound {
        List<Instrument> out = new ArrayList<>();
        for (Group g : msg.getGroups(NoRelatedSym.FIELD)) {
            BigDecimal lot = g.isSetField(RoundLot.FIELD) ? g.getDecimal(RoundLot.FIELD) : BigDecimal.ONE;
            BigDecimal tick = g.isSetField(MIN_PRICE_INCREMENT) ? g.getDecimal(MIN_PRICE_INCREMENT) : new BigDecimal("0.01");
            out.add(new Instrument(g.getString(Symbol.FIELD), lot.stripTrailingZeros(), tick.stripTrailingZeros()));
        }
        return out;
    }

    static boolean isMsgType(Message msg, String type) throws FieldNotFound {
        return type.equals(msg.getHeader().getString(MsgType.FIELD));
    }

    static boolean possDup(Message msg) {
        try {
            return msg.getHeader().isSetField(PossDupFlag.FIELD) && msg.getHeader().getBoolean(PossDupFlag.FIELD);
        } catch (FieldNotFound e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- value mapping

    static char side(Side side) {
        return side == Side.BUY ? quickfix.field.Side.BUY : quickfix.field.Side.SELL;
    }

    static Side side(char fixSide) {
        return switch (fixSide) {
            case quickfix.field.Side.BUY -> Side.BUY;
            case quickfix.field.Side.SELL, quickfix.field.Side.SELL_SHORT, quickfix.field.Side.SELL_SHORT_EXEMPT -> Side.SELL;
            default -> throw new IllegalArgumentException("unsupported FIX Side(54)=" + fixSide);
        };
    }

    static char timeInForce(TimeInForce tif) {
        return switch (tif) {
            case DAY -> quickfix.field.TimeInForce.DAY;
            case GTC -> quickfix.field.TimeInForce.GOOD_TILL_CANCEL;
            case IOC -> quickfix.field.TimeInForce.IMMEDIATE_OR_CANCEL;
            case FOK -> quickfix.field.TimeInForce.FILL_OR_KILL;
            case GTD -> quickfix.field.TimeInForce.GOOD_TILL_DATE;
        };
    }

    static ExecType execType(char c) {
        return switch (c) {
            case quickfix.field.ExecType.PENDING_NEW -> ExecType.PENDING_NEW;
            case quickfix.field.ExecType.NEW -> ExecType.NEW;
            // FIX 4.4 reports every execution as Trade (F); 1/2 are the FIX 4.2 partial/fill values.
            case quickfix.field.ExecType.TRADE, '1', '2' -> ExecType.TRADE;
            case quickfix.field.ExecType.PENDING_CANCEL -> ExecType.PENDING_CANCEL;
            case quickfix.field.ExecType.CANCELED -> ExecType.CANCELED;
            case quickfix.field.ExecType.PENDING_REPLACE -> ExecType.PENDING_REPLACE;
            case quickfix.field.ExecType.REPLACED -> ExecType.REPLACED;
            case quickfix.field.ExecType.REJECTED -> ExecType.REJECTED;
            case quickfix.field.ExecType.EXPIRED -> ExecType.EXPIRED;
            case quickfix.field.ExecType.ORDER_STATUS -> ExecType.ORDER_STATUS;
            default -> ExecType.OTHER;
        };
    }

    static OrderStatus ordStatus(char c) {
        return switch (c) {
            case OrdStatus.PENDING_NEW -> OrderStatus.PENDING_NEW;
            case OrdStatus.NEW -> OrderStatus.NEW;
            case OrdStatus.PARTIALLY_FILLED -> OrderStatus.PARTIALLY_FILLED;
            case OrdStatus.FILLED -> OrderStatus.FILLED;
            case OrdStatus.PENDING_CANCEL -> OrderStatus.PENDING_CANCEL;
            case OrdStatus.PENDING_REPLACE -> OrderStatus.PENDING_REPLACE;
            case OrdStatus.CANCELED -> OrderStatus.CANCELED;
            case OrdStatus.REJECTED -> OrderStatus.REJECTED;
            case OrdStatus.EXPIRED -> OrderStatus.EXPIRED;
            default -> null;
        };
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static String optString(FieldMap map, int tag) {
        try {
            return map.isSetField(tag) ? map.getString(tag) : null;
        } catch (FieldNotFound e) {
            return null;
        }
    }

    static BigDecimal optDecimal(FieldMap map, int tag) {
        String s = optString(map, tag);
        return s == null || s.isEmpty() ? null : new BigDecimal(s);
    }
}
