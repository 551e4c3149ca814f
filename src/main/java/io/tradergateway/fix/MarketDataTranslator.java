package io.tradergateway.fix;

import io.tradergateway.domain.Side;
import io.tradergateway.market.BookLevel;
import io.tradergateway.market.BookLevelUpdate;
import io.tradergateway.market.BookSnapshot;
import io.tradergateway.market.MarketDataEvent;
import io.tradergateway.market.TradePrint;
import quickfix.FieldNotFound;
import quickfix.Group;
import quickfix.Message;
import quickfix.field.MDEntryPositionNo;
import quickfix.field.MDEntryPx;
import quickfix.field.MDEntrySize;
import quickfix.field.MDEntryType;
import quickfix.field.MDUpdateAction;
import quickfix.field.MsgType;
import quickfix.field.NoMDEntries;
import quickfix.field.Symbol;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Market data in: a snapshot (35=W) becomes one {@link BookSnapshot}; an incremental refresh (35=X) becomes one
 * {@link BookLevelUpdate} per book entry and one {@link TradePrint} per trade entry. Times are our receive time,
 * so that rolling windows run on one clock.
 */
final class MarketDataTranslator {

    List<MarketDataEvent> translate(String venue, Message msg, Instant receivedAt) throws FieldNotFound {
        String type = msg.getHeader().getString(MsgType.FIELD);
        return MsgType.MARKET_DATA_SNAPSHOT_FULL_REFRESH.equals(type) ? List.of(snapshot(venue, msg, receivedAt))
                : incremental(venue, msg, receivedAt);
    }

    private BookSnapshot snapshot(String venue, Message msg, Instant at) throws FieldNotFound {
        String symbol = msg.getString(Symbol.FIELD);
        List<Level> bids = new ArrayList<>();
        List<Level> offers = new ArrayList<>();
        TradePrint last = null;
        if (msg.hasGroup(NoMDEntries.FIELD)) {
            for (Group g : msg.getGroups(NoMDEntries.FIELD)) {
                char entryType = g.getChar(MDEntryType.FIELD);
                BigDecimal px = FixTranslator.optDecimal(g, MDEntryPx.FIELD);
                BigDecimal size = FixTranslator.optDecimal(g, MDEntrySize.FIELD);
                int pos = g.isSetField(MDEntryPositionNo.FIELD) ? g.getInt(MDEntryPositionNo.FIELD) : Integer.MAX_VALUE;
                if (px == null) continue;
                switch (entryType) {
                    case MDEntryType.BID -> bids.add(new Level(pos, new BookLevel(px, size == null ? BigDecimal.ZERO : size)));
                    case MDEntryType.OFFER -> offers.add(new Level(pos, new BookLevel(px, size == null ? BigDecimal.ZERO : size)));
                    case MDEntryType.TRADE -> last = new TradePrint(venue, symbol, px, size, at);
                    default -> {
                    }
                }
            }
        }
        return new BookSnapshot(venue, symbol, sorted(bids), sorted(offers), Optional.ofNullable(last), at);
    }

    private List<MarketDataEvent> incremental(String venue, Message msg, Instant at) throws FieldNotFound {
        List<MarketDataEvent> out = new ArrayList<>();
        if (!msg.hasGroup(NoMDEntries.FIELD)) return out;
        String messageSymbol = FixTranslator.optString(msg, Symbol.FIELD);
        for (Group g : msg.getGroups(NoMDEntries.FIELD)) {
            String symbol = g.isSetField(Symbol.FIELD) ? g.getString(Symbol.FIELD) : messageSymbol;
            if (symbol == null) continue;
            if (!g.isSetField(MDEntryType.FIELD)) continue; // optional in 35=X; such an entry cannot be placed
            char entryType = g.getChar(MDEntryType.FIELD);
            BigDecimal px = FixTranslator.optDecimal(g, MDEntryPx.FIELD);
            BigDecimal size = FixTranslator.optDecimal(g, MDEntrySize.FIELD);
            char action = g.isSetField(MDUpdateAction.FIELD) ? g.getChar(MDUpdateAction.FIELD) : MDUpdateAction.NEW;
            if (entryType == MDEntryType.TRADE) {
                // Only a new trade is a print: a corrected (CHANGE) or busted (DELETE) trade must not add volume again.
                if (px != null && action == MDUpdateAction.NEW) out.add(new TradePrint(venue, symbol, px, size, at));
                continue;
            }
            if (entryType != MDEntryType.BID && entryType != MDEntryType.OFFER) continue;
            BookLevelUpdate.Action bookAction = switch (g.isSetField(MDUpdateAction.FIELD) ? action : MDUpdateAction.CHANGE) {
                case MDUpdateAction.NEW -> BookLevelUpdate.Action.NEW;
                case MDUpdateAction.DELETE -> BookLevelUpdate.Action.DELETE;
                default -> BookLevelUpdate.Action.CHANGE;
            };
            int pos = g.isSetField(MDEntryPositionNo.FIELD) ? g.getInt(MDEntryPositionNo.FIELD) : 0;
            out.add(new BookLevelUpdate(venue, symbol, entryType == MDEntryType.BID ? Side.BUY : Side.SELL, pos, bookAction, px, size, at));
        }
        return out;
    }

    private static List<BookLevel> sorted(List<Level> levels) {
        return levels.stream().sorted(Comparator.comparingInt(Level::position)).map(Level::level).toList();
    }

    private record Level(int position, BookLevel level) {
    }
}
