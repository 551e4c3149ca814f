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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import quickfix.DefaultMessageFactory;
import quickfix.FieldMap;
import quickfix.FieldNotFound;
import quickfix.Group;
import quickfix.Message;
import quickfix.field.AvgPx;
import quickfix.field.BusinessRejectReason;
import quickfix.field.ClOrdID;
import quickfix.field.CumQty;
import quickfix.field.CxlRejResponseTo;
import quickfix.field.ExecID;
import quickfix.field.ExecRefID;
import quickfix.field.ExpireTime;
import quickfix.field.HandlInst;
import quickfix.field.LastPx;
import quickfix.field.LastQty;
import quickfix.field.LeavesQty;
import quickfix.field.MDEntryType;
import quickfix.field.MDReqID;
import quickfix.field.MDUpdateType;
import quickfix.field.MarketDepth;
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
import quickfix.field.RefTagID;
import quickfix.field.RoundLot;
import quickfix.field.SecurityListRequestType;
import quickfix.field.SecurityReqID;
import quickfix.field.SessionRejectReason;
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
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place where FIX messages and domain records meet, in each session's version (FIX 4.2, FIX 4.4 or FIX 5.0SP2
 * over FIXT.1.1: every function takes the {@link FixVersion}). Prices and quantities are read and written as decimal
 * strings (never through double) so that what the venue sent is what the domain sees.
 */
public final class FixTranslator {
    private static final Logger log = LoggerFactory.getLogger(FixTranslator.class);
    /** MinPriceIncrement, a FIX 5.0 tag our FIX 4.4 dictionary adds to SecurityList's NoRelatedSym group. */
    static final int MIN_PRICE_INCREMENT = 969;
    /** Commission (12): the venue's fee for a fill, read with CommType (13) by {@link #fee(Message)}. */
    static final int COMMISSION = 12;
    /** ExecTransType (20), FIX 4.2 only: 0 new, 1 cancel, 2 correct, 3 status. */
    static final int EXEC_TRANS_TYPE = 20;
    /** Account (1): the one {@code OrderFields} tag also put on cancel and status requests. */
    static final int ACCOUNT = 1;
    /** Creates the message and group classes of every version (FIXT.1.1 application messages default to FIX 5.0SP2). */
    private static final DefaultMessageFactory MESSAGES = new DefaultMessageFactory();

    private FixTranslator() {
    }

    // ---------------------------------------------------------------- outbound

    /** The command as a message of the session's version, without venue-fixed tags. */
    public static Message toFix(FixVersion version, OrderCommand command) {
        return toFix(version, command, Map.of());
    }

    /**
     * The command as a message of the session's version.
     *
     * @param orderFields the venue's {@code OrderFields}: all of them on NewOrderSingle and OrderCancelReplaceRequest (they
     *                    may replace HandlInst), Account (1) alone also on OrderCancelRequest and OrderStatusRequest
     */
    public static Message toFix(FixVersion version, OrderCommand command, Map<Integer, String> orderFields) {
        // Java 17 has no pattern switch: an instanceof chain over the sealed command types.
        if (command instanceof OrderCommand.NewOrder o) return withFields(newOrderSingle(version, o), orderFields, false);
        if (command instanceof OrderCommand.Cancel c) return withFields(cancelRequest(version, c), orderFields, true);
        if (command instanceof OrderCommand.Replace r) return withFields(replaceRequest(version, r), orderFields, false);
        if (command instanceof OrderCommand.StatusRequest s) return withFields(statusRequest(version, s), orderFields, true);
        if (command instanceof OrderCommand.SubscribeMarketData m) return marketDataRequest(version, m);
        throw new IllegalArgumentException("unknown command " + command);
    }

    private static Message withFields(Message msg, Map<Integer, String> orderFields, boolean accountOnly) {
        for (Map.Entry<Integer, String> f : new TreeMap<>(orderFields).entrySet()) {
            if (!accountOnly || f.getKey() == ACCOUNT) msg.setString(f.getKey(), f.getValue());
        }
        return msg;
    }

    static Message create(FixVersion version, String msgType) {
        return MESSAGES.create(version.beginString(), msgType);
    }

    private static Group group(FixVersion version, String msgType, int countTag) {
        return MESSAGES.create(version.applVersion(), msgType, countTag);
    }

    static Message newOrderSingle(FixVersion version, OrderCommand.NewOrder o) {
        Message msg = create(version, MsgType.ORDER_SINGLE);
        msg.setString(ClOrdID.FIELD, o.clOrdId().value());
        orderTerms(msg, o.symbol(), o.side(), o.transactTime(), o.quantity(), o.type(), o.limitPrice(), o.timeInForce(), o.expireTime());
        return msg;
    }

    static Message cancelRequest(FixVersion version, OrderCommand.Cancel c) {
        Message msg = create(version, MsgType.ORDER_CANCEL_REQUEST);
        msg.setString(OrigClOrdID.FIELD, c.origClOrdId().value());
        msg.setString(ClOrdID.FIELD, c.clOrdId().value());
        msg.setString(Symbol.FIELD, c.symbol());
        msg.setChar(quickfix.field.Side.FIELD, side(c.side()));
        msg.setUtcTimeStamp(TransactTime.FIELD, utc(c.transactTime()), true);
        msg.setString(OrderQty.FIELD, c.quantity().toPlainString());
        return msg;
    }

    static Message replaceRequest(FixVersion version, OrderCommand.Replace r) {
        Message msg = create(version, MsgType.ORDER_CANCEL_REPLACE_REQUEST);
        msg.setString(OrigClOrdID.FIELD, r.origClOrdId().value());
        msg.setString(ClOrdID.FIELD, r.clOrdId().value());
        orderTerms(msg, r.symbol(), r.side(), r.transactTime(), r.quantity(), r.type(), r.limitPrice(), r.timeInForce(), r.expireTime());
        return msg;
    }

    /** The terms a NewOrderSingle and an OrderCancelReplaceRequest both carry (the same tags in 4.2, 4.4 and 5.0SP2). */
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

    static Message statusRequest(FixVersion version, OrderCommand.StatusRequest s) {
        Message msg = create(version, MsgType.ORDER_STATUS_REQUEST);
        msg.setString(ClOrdID.FIELD, s.clOrdId().value());
        msg.setString(Symbol.FIELD, s.symbol());
        msg.setChar(quickfix.field.Side.FIELD, side(s.side()));
        return msg;
    }

    static Message marketDataRequest(FixVersion version, OrderCommand.SubscribeMarketData m) {
        Message msg = create(version, MsgType.MARKET_DATA_REQUEST);
        msg.setString(MDReqID.FIELD, m.requestId());
        msg.setChar(SubscriptionRequestType.FIELD, SubscriptionRequestType.SNAPSHOT_UPDATES);
        msg.setInt(MarketDepth.FIELD, 0);
        msg.setInt(MDUpdateType.FIELD, MDUpdateType.INCREMENTAL_REFRESH);
        for (char type : new char[]{MDEntryType.BID, MDEntryType.OFFER, MDEntryType.TRADE}) {
            Group g = group(version, MsgType.MARKET_DATA_REQUEST, NoMDEntryTypes.FIELD);
            g.setChar(MDEntryType.FIELD, type);
            msg.addGroup(g);
        }
        for (String symbol : m.symbols()) {
            Group g = group(version, MsgType.MARKET_DATA_REQUEST, NoRelatedSym.FIELD);
            g.setString(Symbol.FIELD, symbol);
            msg.addGroup(g);
        }
        return msg;
    }

    /**
     * SecurityListRequest (35=x) for all securities.
     *
     * @throws IllegalArgumentException on FIX 4.2, which has no such message (the venue settings refuse that)
     */
    public static Message securityListRequest(FixVersion version, String requestId) {
        if (!version.hasSecurityList()) throw new IllegalArgumentException(version.beginString() + " has no SecurityListRequest (35=x)");
        Message msg = create(version, MsgType.SECURITY_LIST_REQUEST);
        msg.setString(SecurityReqID.FIELD, requestId);
        msg.setInt(SecurityListRequestType.FIELD, SecurityListRequestType.ALL_SECURITIES);
        return msg;
    }

    // ---------------------------------------------------------------- inbound

    /**
     * A venue ExecutionReport (35=8) in the session's version. FIX 4.2 differences: ExecTransType (20) cancel (1) or
     * correct (2) refers to an earlier report and is {@link ExecType#OTHER} with no OrdStatus (never a fresh fill:
     * see {@link #correctionNotice}); ExecTransType status (3) is an order status answer; ExecType 1/2 are partial fill
     * and fill; LastShares (32) is LastQty; LeavesQty, CumQty and AvgPx may be missing.
     */
    public static VenueExecutionReport executionReport(FixVersion version, String venue, Message msg, Instant receivedAt)
            throws FieldNotFound {
        String orig = optString(msg, OrigClOrdID.FIELD);
        char transType = version == FixVersion.FIX42 && msg.isSetField(EXEC_TRANS_TYPE) ? msg.getChar(EXEC_TRANS_TYPE) : '0';
        boolean correction = transType == '1' || transType == '2';
        ExecType execType = correction ? ExecType.OTHER
                : transType == '3' ? ExecType.ORDER_STATUS : execType(version, msg.getChar(quickfix.field.ExecType.FIELD));
        String text = optString(msg, Text.FIELD);
        return new VenueExecutionReport(
                venue,
                new ClOrdId(msg.getString(ClOrdID.FIELD)),
                orig == null ? null : new ClOrdId(orig),
                new OrderId(msg.getString(OrderID.FIELD)),
                new ExecId(msg.getString(ExecID.FIELD)),
                execType,
                correction || !msg.isSetField(OrdStatus.FIELD) ? null : ordStatus(version, msg.getChar(OrdStatus.FIELD)),
                msg.getString(Symbol.FIELD),
                side(msg.getChar(quickfix.field.Side.FIELD)),
                optDecimal(msg, LastQty.FIELD),
                optDecimal(msg, LastPx.FIELD),
                optDecimal(msg, CumQty.FIELD),
                optDecimal(msg, LeavesQty.FIELD),
                optDecimal(msg, AvgPx.FIELD),
                fee(msg),
                correction ? correctionNotice(version, msg) + (text == null ? "" : ": " + text) : text,
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
     * For a FIX 4.2 ExecutionReport that cancels (ExecTransType 1) or corrects (2) an earlier one (ExecRefID 19): what it
     * is, for the ops log; null for any other report. The gateway does not re-book such a report: it is logged.
     */
    public static String correctionNotice(FixVersion version, Message msg) {
        if (version != FixVersion.FIX42) return null;
        String transType = optString(msg, EXEC_TRANS_TYPE);
        if (!"1".equals(transType) && !"2".equals(transType)) return null;
        String ref = optString(msg, ExecRefID.FIELD);
        return "FIX 4.2 ExecTransType=" + transType + ("1".equals(transType) ? " (cancel)" : " (correct)")
                + " of ExecID " + (ref == null ? "?" : ref) + " in ExecID " + optString(msg, ExecID.FIELD)
                + " (LastShares " + optString(msg, LastQty.FIELD) + " @ " + optString(msg, LastPx.FIELD)
                + "): not booked, check with the venue";
    }

    /**
     * One of our messages that a venue may refuse by MsgSeqNum only (35=3 or 35=j name it by RefSeqNum): order messages
     * (D, F, G), status requests (H) and the security list request (x, no ClOrdID).
     */
    public record SentOrderMessage(String msgType, ClOrdId clOrdId, ClOrdId origClOrdId) {
    }

    /** The message we are sending as a {@link SentOrderMessage}, or null if it is not one worth remembering. */
    static SentOrderMessage sentOrderMessage(Message msg) {
        String type = optString(msg.getHeader(), MsgType.FIELD);
        if (MsgType.SECURITY_LIST_REQUEST.equals(type)) return new SentOrderMessage(type, null, null);
        if (!MsgType.ORDER_SINGLE.equals(type) && !MsgType.ORDER_CANCEL_REQUEST.equals(type)
                && !MsgType.ORDER_CANCEL_REPLACE_REQUEST.equals(type) && !MsgType.ORDER_STATUS_REQUEST.equals(type)) {
            return null;
        }
        String clOrdId = optString(msg, ClOrdID.FIELD);
        String orig = optString(msg, OrigClOrdID.FIELD);
        return clOrdId == null ? null : new SentOrderMessage(type, new ClOrdId(clOrdId), orig == null ? null : new ClOrdId(orig));
    }

    /** Why the venue refused a message at session (35=3) or business (35=j) level, for logs and reports. */
    static String refusal(Message reject) {
        boolean session = MsgType.REJECT.equals(optString(reject.getHeader(), MsgType.FIELD));
        String reason = optString(reject, session ? SessionRejectReason.FIELD : BusinessRejectReason.FIELD);
        String text = optString(reject, Text.FIELD);
        return (session ? "session-level Reject (35=3" : "BusinessMessageReject (35=j")
                + (reason == null ? "" : ", reason " + reason)
                + (session && reject.isSetField(RefTagID.FIELD) ? ", tag " + optString(reject, RefTagID.FIELD) : "")
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

    public static VenueCancelReject cancelReject(FixVersion version, String venue, Message msg, Instant receivedAt)
            throws FieldNotFound {
        String orig = optString(msg, OrigClOrdID.FIELD);
        if ("NONE".equals(orig)) orig = null; // venues fill the required tag with NONE when they know no original order
        char responseTo = msg.isSetField(CxlRejResponseTo.FIELD)
                ? msg.getChar(CxlRejResponseTo.FIELD) : CxlRejResponseTo.ORDER_CANCEL_REQUEST;
        return new VenueCancelReject(
                venue,
                new ClOrdId(msg.getString(ClOrdID.FIELD)),
                orig == null ? null : new ClOrdId(orig),
                msg.isSetField(OrdStatus.FIELD) ? ordStatus(version, msg.getChar(OrdStatus.FIELD)) : null,
                responseTo == CxlRejResponseTo.ORDER_CANCEL_REPLACE_REQUEST,
                optString(msg, Text.FIELD),
                receivedAt);
    }

    /**
     * A SecurityList (35=y, FIX 4.4 and 5.0SP2): RoundLot (561) and MinPriceIncrement (969) per symbol when given. An
     * entry whose lot or tick is not positive is left out (one WARN line): the rest of the list is still the venue's.
     */
    public static List<Instrument> securityList(FixVersion version, Message msg) throws FieldNotFound {
        List<Instrument> out = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Group g : msg.getGroups(NoRelatedSym.FIELD)) {
            String symbol = g.getString(Symbol.FIELD);
            BigDecimal lot = g.isSetField(RoundLot.FIELD) ? g.getDecimal(RoundLot.FIELD) : BigDecimal.ONE;
            BigDecimal tick = g.isSetField(MIN_PRICE_INCREMENT) ? g.getDecimal(MIN_PRICE_INCREMENT) : new BigDecimal("0.01");
            if (lot.signum() <= 0 || tick.signum() <= 0) {
                refused.add(symbol + " (RoundLot " + lot.toPlainString() + ", MinPriceIncrement " + tick.toPlainString() + ")");
                continue;
            }
            out.add(new Instrument(symbol, lot.stripTrailingZeros(), tick.stripTrailingZeros()));
        }
        if (!refused.isEmpty()) {
            log.warn("SecurityList: {} entries left out, their lot or tick is not positive: {}", refused.size(),
                    String.join(", ", refused.subList(0, Math.min(10, refused.size()))) + (refused.size() > 10 ? ", ..." : ""));
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

    /** ExecType (150); FIX 4.2's partial fill (1) and fill (2) are trades, its done for day (3) is OTHER. */
    static ExecType execType(FixVersion version, char c) {
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

    /** OrdStatus (39): the same values in 4.2, 4.4 and 5.0SP2; done for day, replaced (4.2), stopped etc. are null. */
    static OrderStatus ordStatus(FixVersion version, char c) {
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
