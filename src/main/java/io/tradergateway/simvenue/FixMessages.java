package io.tradergateway.simvenue;

import io.tradergateway.domain.Side;
import quickfix.Group;
import quickfix.field.AvgPx;
import quickfix.field.ClOrdID;
import quickfix.field.CommType;
import quickfix.field.Commission;
import quickfix.field.CumQty;
import quickfix.field.CxlRejReason;
import quickfix.field.CxlRejResponseTo;
import quickfix.field.ExecID;
import quickfix.field.ExecType;
import quickfix.field.ExpireTime;
import quickfix.field.LastFragment;
import quickfix.field.LastPx;
import quickfix.field.LastQty;
import quickfix.field.LeavesQty;
import quickfix.field.MDEntryPositionNo;
import quickfix.field.MDEntryPx;
import quickfix.field.MDEntrySize;
import quickfix.field.MDEntryType;
import quickfix.field.MDReqID;
import quickfix.field.MDReqRejReason;
import quickfix.field.MDUpdateAction;
import quickfix.field.MinPriceIncrement;
import quickfix.field.NoMDEntries;
import quickfix.field.OrdRejReason;
import quickfix.field.OrdStatus;
import quickfix.field.OrdType;
import quickfix.field.OrderID;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.Price;
import quickfix.field.RoundLot;
import quickfix.field.SecurityReqID;
import quickfix.field.SecurityRequestResult;
import quickfix.field.SecurityResponseID;
import quickfix.field.Symbol;
import quickfix.field.Text;
import quickfix.field.TimeInForce;
import quickfix.field.TotNoRelatedSym;
import quickfix.field.TransactTime;
import quickfix.fix44.ExecutionReport;
import quickfix.fix44.MarketDataIncrementalRefresh;
import quickfix.fix44.MarketDataRequestReject;
import quickfix.fix44.MarketDataSnapshotFullRefresh;
import quickfix.fix44.OrderCancelReject;
import quickfix.fix44.SecurityList;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Builds the FIX 4.4 messages the venue sends. Prices and quantities are written from BigDecimal, never double. */
final class FixMessages {
    static final char EXEC_NEW = ExecType.NEW;
    static final char EXEC_TRADE = ExecType.TRADE;
    static final char EXEC_CANCELED = ExecType.CANCELED;
    static final char EXEC_REPLACED = ExecType.REPLACED;
    static final char EXEC_REJECTED = ExecType.REJECTED;
    static final char EXEC_EXPIRED = ExecType.EXPIRED;
    static final char EXEC_STATUS = ExecType.ORDER_STATUS;

    /** An MD entry of an incremental refresh: action 0 new / 1 change / 2 delete; position 0 = none (trades). */
    record MdEntry(char action, char type, int position, BigDecimal price, BigDecimal size) { }

    private FixMessages() {
    }

    static char fixSide(Side side) {
        return side == Side.BUY ? '1' : '2';
    }

    private static LocalDateTime utc(Instant time) {
        return LocalDateTime.ofInstant(time, ZoneOffset.UTC);
    }

    /** An ExecutionReport with the order's full current state; the caller adds LastQty/LastPx/Text etc. */
    static ExecutionReport executionReport(SimOrder o, char execType, String execId, Instant now) {
        ExecutionReport m = new ExecutionReport();
        m.setString(OrderID.FIELD, o.orderId);
        m.setString(ClOrdID.FIELD, o.clOrdId);
        m.setString(ExecID.FIELD, execId);
        m.setChar(ExecType.FIELD, execType);
        m.setChar(OrdStatus.FIELD, o.status.fix);
        m.setString(Symbol.FIELD, o.symbol == null ? "?" : o.symbol);
        m.setChar(quickfix.field.Side.FIELD, fixSide(o.side));
        m.setChar(OrdType.FIELD, o.ordType);
        if (o.isLimit() && o.price != null) m.setDecimal(Price.FIELD, Prices.plain(o.price));
        m.setDecimal(OrderQty.FIELD, Prices.plain(o.quantity));
        m.setChar(TimeInForce.FIELD, o.timeInForce);
        if (o.expireTime != null) m.setUtcTimeStamp(ExpireTime.FIELD, utc(o.expireTime), true);
        m.setDecimal(LeavesQty.FIELD, Prices.plain(o.leaves()));
        m.setDecimal(CumQty.FIELD, Prices.plain(o.cumQty));
        m.setDecimal(AvgPx.FIELD, o.avgPx());
        m.setUtcTimeStamp(TransactTime.FIELD, utc(now), true);
        return m;
    }

    static void addFill(ExecutionReport m, BigDecimal lastQty, BigDecimal lastPx, BigDecimal fee) {
        m.setDecimal(LastQty.FIELD, Prices.plain(lastQty));
        m.setDecimal(LastPx.FIELD, Prices.plain(lastPx));
        m.setDecimal(Commission.FIELD, Prices.plain(fee));
        m.setChar(CommType.FIELD, CommType.ABSOLUTE);
    }

    static void addReject(ExecutionReport m, int ordRejReason, String text) {
        m.setInt(OrdRejReason.FIELD, ordRejReason);
        m.setString(Text.FIELD, text);
    }

    /**
     * A rejected NewOrderSingle the venue does not keep (e.g. a duplicate ClOrdID or an unreadable side):
     * built from the request's own fields.
     */
    static ExecutionReport rejectUnstored(VenueRequest.NewOrder r, String orderId, String execId, int reason,
                                          String text, Instant now) {
        ExecutionReport m = new ExecutionReport();
        m.setString(OrderID.FIELD, orderId);
        m.setString(ClOrdID.FIELD, r.clOrdId());
        m.setString(ExecID.FIELD, execId);
        m.setChar(ExecType.FIELD, EXEC_REJECTED);
        m.setChar(OrdStatus.FIELD, OrdStatus.REJECTED);
        m.setString(Symbol.FIELD, r.symbol() == null ? "?" : r.symbol());
        m.setChar(quickfix.field.Side.FIELD, r.side() == null ? '1' : r.side());
        if (r.ordType() != null) m.setChar(OrdType.FIELD, r.ordType());
        if (r.quantity() != null) m.setDecimal(OrderQty.FIELD, Prices.plain(r.quantity()));
        m.setDecimal(LeavesQty.FIELD, BigDecimal.ZERO);
        m.setDecimal(CumQty.FIELD, BigDecimal.ZERO);
        m.setDecimal(AvgPx.FIELD, BigDecimal.ZERO);
        m.setUtcTimeStamp(TransactTime.FIELD, utc(now), true);
        addReject(m, reason, text);
        return m;
    }

    /** The answer to an OrderStatusRequest for an order the venue does not know. */
    static ExecutionReport unknownOrderStatus(VenueRequest.Status r, String execId, Instant now) {
        ExecutionReport m = new ExecutionReport();
        m.setString(OrderID.FIELD, r.orderId() == null ? "NONE" : r.orderId());
        m.setString(ClOrdID.FIELD, r.clOrdId());
        m.setString(ExecID.FIELD, execId);
        m.setChar(ExecType.FIELD, EXEC_STATUS);
        m.setChar(OrdStatus.FIELD, OrdStatus.REJECTED);
        m.setString(Symbol.FIELD, r.symbol() == null ? "?" : r.symbol());
        m.setChar(quickfix.field.Side.FIELD, r.side() == null ? '1' : r.side());
        m.setDecimal(LeavesQty.FIELD, BigDecimal.ZERO);
        m.setDecimal(CumQty.FIELD, BigDecimal.ZERO);
        m.setDecimal(AvgPx.FIELD, BigDecimal.ZERO);
        m.setUtcTimeStamp(TransactTime.FIELD, utc(now), true);
        addReject(m, OrdRejReason.UNKNOWN_ORDER, "unknown order " + r.clOrdId());
        return m;
    }

    static OrderCancelReject cancelReject(String orderId, String clOrdId, String origClOrdId, char ordStatus,
                                          char responseTo, int reason, String text, Instant now) {
        OrderCancelReject m = new OrderCancelReject();
        m.setString(OrderID.FIELD, orderId);
        m.setString(ClOrdID.FIELD, clOrdId);
        m.setString(OrigClOrdID.FIELD, origClOrdId == null ? "NONE" : origClOrdId);
        m.setChar(OrdStatus.FIELD, ordStatus);
        m.setChar(CxlRejResponseTo.FIELD, responseTo);
        m.setInt(CxlRejReason.FIELD, reason);
        m.setString(Text.FIELD, text);
        m.setUtcTimeStamp(TransactTime.FIELD, utc(now), true);
        return m;
    }

    static MarketDataSnapshotFullRefresh snapshot(String mdReqId, String symbol, BookSnapshot book, int depth,
                                                  boolean bids, boolean offers, PriceLevel lastTrade) {
        MarketDataSnapshotFullRefresh m = new MarketDataSnapshotFullRefresh();
        if (mdReqId != null) m.setString(MDReqID.FIELD, mdReqId);
        m.setString(Symbol.FIELD, symbol);
        if (bids) addLevels(m, MDEntryType.BID, top(book.bids(), depth));
        if (offers) addLevels(m, MDEntryType.OFFER, top(book.offers(), depth));
        if (lastTrade != null) {
            Group g = new MarketDataSnapshotFullRefresh.NoMDEntries();
            g.setChar(MDEntryType.FIELD, MDEntryType.TRADE);
            g.setDecimal(MDEntryPx.FIELD, Prices.plain(lastTrade.price()));
            g.setDecimal(MDEntrySize.FIELD, Prices.plain(lastTrade.size()));
            m.addGroup(g);
        }
        if (m.getGroupCount(NoMDEntries.FIELD) == 0) m.setInt(NoMDEntries.FIELD, 0);
        return m;
    }

    private static void addLevels(MarketDataSnapshotFullRefresh m, char type, List<PriceLevel> levels) {
        for (int i = 0; i < levels.size(); i++) {
            Group g = new MarketDataSnapshotFullRefresh.NoMDEntries();
            g.setChar(MDEntryType.FIELD, type);
            g.setDecimal(MDEntryPx.FIELD, Prices.plain(levels.get(i).price()));
            g.setDecimal(MDEntrySize.FIELD, Prices.plain(levels.get(i).size()));
            g.setInt(MDEntryPositionNo.FIELD, i + 1);
            m.addGroup(g);
        }
    }

    static List<PriceLevel> top(List<PriceLevel> levels, int depth) {
        return depth <= 0 || depth >= levels.size() ? levels : levels.subList(0, depth);
    }

    static MarketDataIncrementalRefresh incremental(String mdReqId, String symbol, List<MdEntry> entries) {
        MarketDataIncrementalRefresh m = new MarketDataIncrementalRefresh();
        if (mdReqId != null) m.setString(MDReqID.FIELD, mdReqId);
        for (MdEntry e : entries) {
            Group g = new MarketDataIncrementalRefresh.NoMDEntries();
            g.setChar(MDUpdateAction.FIELD, e.action());
            g.setChar(MDEntryType.FIELD, e.type());
            g.setString(Symbol.FIELD, symbol);
            if (e.price() != null) g.setDecimal(MDEntryPx.FIELD, Prices.plain(e.price()));
            if (e.size() != null) g.setDecimal(MDEntrySize.FIELD, Prices.plain(e.size()));
            if (e.position() > 0) g.setInt(MDEntryPositionNo.FIELD, e.position());
            m.addGroup(g);
        }
        return m;
    }

    static MarketDataRequestReject mdReject(String mdReqId, Character reason, String text) {
        MarketDataRequestReject m = new MarketDataRequestReject();
        m.setString(MDReqID.FIELD, mdReqId);
        if (reason != null) m.setChar(MDReqRejReason.FIELD, reason);
        m.setString(Text.FIELD, text);
        return m;
    }

    static SecurityList securityList(String reqId, String responseId, int result, List<SymbolSpec> symbols) {
        SecurityList m = new SecurityList();
        m.setString(SecurityReqID.FIELD, reqId);
        m.setString(SecurityResponseID.FIELD, responseId);
        m.setInt(SecurityRequestResult.FIELD, result);
        m.setInt(TotNoRelatedSym.FIELD, symbols.size());
        m.setBoolean(LastFragment.FIELD, true);
        for (SymbolSpec s : symbols) {
            Group g = new SecurityList.NoRelatedSym();
            g.setString(Symbol.FIELD, s.symbol());
            g.setDecimal(RoundLot.FIELD, Prices.plain(s.lotSize()));
            g.setDecimal(MinPriceIncrement.FIELD, Prices.plain(s.tickSize()));
            m.addGroup(g);
        }
        return m;
    }
}
