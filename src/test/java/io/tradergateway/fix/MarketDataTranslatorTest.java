package io.tradergateway.fix;

import io.tradergateway.domain.Side;
import io.tradergateway.market.BookLevel;
import io.tradergateway.market.BookLevelUpdate;
import io.tradergateway.market.BookSnapshot;
import io.tradergateway.market.MarketDataEvent;
import io.tradergateway.market.TradePrint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import quickfix.DataDictionary;
import quickfix.DefaultMessageFactory;
import quickfix.Group;
import quickfix.Message;
import quickfix.MessageUtils;
import quickfix.field.BeginString;
import quickfix.field.MsgSeqNum;
import quickfix.field.SenderCompID;
import quickfix.field.SendingTime;
import quickfix.field.TargetCompID;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layer 2: market data in. Messages are built in code, validated against the project dictionary, sent through the
 * wire format and parsed back with it (so repeating groups are delimited as a session delimits them), then
 * translated and compared with hand-written records.
 */
class MarketDataTranslatorTest {

    private static final String VENUE = "VENUE_B";
    private static final Instant RECEIVED = Instant.parse("2026-11-25T10:00:02.500Z");

    private static DataDictionary dictionary;
    private final MarketDataTranslator translator = new MarketDataTranslator();

    @BeforeAll
    static void loadDictionary() throws Exception {
        dictionary = new DataDictionary("dictionaries/FIX44.xml");
    }

    @Test
    void snapshotLevelsArriveInAnyOrderAndComeOutBestFirst() throws Exception {
        quickfix.fix44.MarketDataSnapshotFullRefresh w = new quickfix.fix44.MarketDataSnapshotFullRefresh();
        w.setString(262, "MD-1");
        w.setString(55, "AAPL");
        // Interleaved sides and MDEntryPositionNo (290) out of order, the last trade in the middle.
        w.addGroup(snapshotEntry('1', "189.30", "300", 2));
        w.addGroup(snapshotEntry('0', "189.20", "200", 2));
        w.addGroup(snapshotEntry('2', "189.25", "50", null));
        w.addGroup(snapshotEntry('1', "189.28", "100", 1));
        w.addGroup(snapshotEntry('0', "189.10", "500", 3));
        w.addGroup(snapshotEntry('0', "189.24", "150", 1));
        w.addGroup(snapshotEntry('1', "189.35", "400", 3));

        List<MarketDataEvent> events = translate(w);

        assertThat(events).containsExactly(new BookSnapshot(VENUE, "AAPL",
                List.of(BookLevel.of("189.24", "150"), BookLevel.of("189.20", "200"), BookLevel.of("189.10", "500")),
                List.of(BookLevel.of("189.28", "100"), BookLevel.of("189.30", "300"), BookLevel.of("189.35", "400")),
                Optional.of(new TradePrint(VENUE, "AAPL", new BigDecimal("189.25"), new BigDecimal("50"), RECEIVED)),
                RECEIVED));
    }

    @Test
    void oneSidedSnapshotWithoutTradeHasNoLastTrade() throws Exception {
        quickfix.fix44.MarketDataSnapshotFullRefresh w = new quickfix.fix44.MarketDataSnapshotFullRefresh();
        w.setString(55, "MSFT");
        w.addGroup(snapshotEntry('0', "410.05", "20", 1));

        assertThat(translate(w)).containsExactly(new BookSnapshot(VENUE, "MSFT",
                List.of(BookLevel.of("410.05", "20")), List.of(), Optional.empty(), RECEIVED));
    }

    @Test
    void incrementalBookEntriesBecomeLevelUpdatesAndTradesBecomePrints() throws Exception {
        quickfix.fix44.MarketDataIncrementalRefresh x = new quickfix.fix44.MarketDataIncrementalRefresh();
        x.setString(262, "MD-1");
        x.addGroup(incrementalEntry('0', '0', "AAPL", "189.25", "100", 1));   // NEW bid at level 1
        x.addGroup(incrementalEntry('1', '1', "AAPL", "189.31", "250", 2));   // CHANGE offer level 2
        x.addGroup(incrementalEntry('2', '0', "AAPL", null, null, 3));        // DELETE bid level 3
        x.addGroup(incrementalEntry('0', '2', "AAPL", "189.26", "75", null)); // a trade
        x.addGroup(incrementalEntry('0', '1', "MSFT", "410.10", "10", null)); // NEW offer keyed by price
        x.addGroup(incrementalEntry('2', '1', "MSFT", "410.20", null, null)); // DELETE offer keyed by price

        List<MarketDataEvent> events = translate(x);

        assertThat(events).containsExactly(
                new BookLevelUpdate(VENUE, "AAPL", Side.BUY, 1, BookLevelUpdate.Action.NEW,
                        new BigDecimal("189.25"), new BigDecimal("100"), RECEIVED),
                new BookLevelUpdate(VENUE, "AAPL", Side.SELL, 2, BookLevelUpdate.Action.CHANGE,
                        new BigDecimal("189.31"), new BigDecimal("250"), RECEIVED),
                new BookLevelUpdate(VENUE, "AAPL", Side.BUY, 3, BookLevelUpdate.Action.DELETE,
                        null, null, RECEIVED),
                new TradePrint(VENUE, "AAPL", new BigDecimal("189.26"), new BigDecimal("75"), RECEIVED),
                new BookLevelUpdate(VENUE, "MSFT", Side.SELL, 0, BookLevelUpdate.Action.NEW,
                        new BigDecimal("410.10"), new BigDecimal("10"), RECEIVED),
                new BookLevelUpdate(VENUE, "MSFT", Side.SELL, 0, BookLevelUpdate.Action.DELETE,
                        new BigDecimal("410.20"), null, RECEIVED));
    }

    @Test
    void tradeWithoutSizeIsAPrintWithUnknownQuantity() throws Exception {
        quickfix.fix44.MarketDataIncrementalRefresh x = new quickfix.fix44.MarketDataIncrementalRefresh();
        x.addGroup(incrementalEntry('0', '2', "AAPL", "189.27", null, null));

        assertThat(translate(x)).containsExactly(
                new TradePrint(VENUE, "AAPL", new BigDecimal("189.27"), null, RECEIVED));
    }

    @Test
    void entryWithoutEntryTypeIsSkippedAndTheOthersStillApply() throws Exception {
        quickfix.fix44.MarketDataIncrementalRefresh x = new quickfix.fix44.MarketDataIncrementalRefresh();
        Group deleteById = new quickfix.fix44.MarketDataIncrementalRefresh.NoMDEntries();
        deleteById.setChar(279, '2');
        deleteById.setString(278, "ENTRY-17");
        deleteById.setString(55, "AAPL");
        x.addGroup(deleteById);
        x.addGroup(incrementalEntry('0', '2', "AAPL", "189.26", "75", null));

        assertThat(translate(x)).containsExactly(
                new TradePrint(VENUE, "AAPL", new BigDecimal("189.26"), new BigDecimal("75"), RECEIVED));
    }

    @Test
    void bustedTradeIsNotANewPrint() throws Exception {
        quickfix.fix44.MarketDataIncrementalRefresh x = new quickfix.fix44.MarketDataIncrementalRefresh();
        x.addGroup(incrementalEntry('2', '2', "AAPL", "189.26", "75", null));

        assertThat(translate(x)).isEmpty();
    }

    private List<MarketDataEvent> translate(Message msg) throws Exception {
        Message.Header h = msg.getHeader();
        h.setString(BeginString.FIELD, "FIX.4.4");
        h.setString(SenderCompID.FIELD, VENUE);
        h.setString(TargetCompID.FIELD, "GATEWAY");
        h.setInt(MsgSeqNum.FIELD, 11);
        h.setUtcTimeStamp(SendingTime.FIELD, LocalDateTime.of(2026, 11, 25, 10, 0, 2, 490_000_000), true);
        dictionary.validate(msg, true);
        Message parsed = MessageUtils.parse(new DefaultMessageFactory(), dictionary, msg.toString());
        dictionary.validate(parsed, false);
        List<MarketDataEvent> events = translator.translate(VENUE, parsed, RECEIVED);
        // What the session hands us and what we built must translate alike.
        assertThat(translator.translate(VENUE, msg, RECEIVED)).isEqualTo(events);
        return events;
    }

    private static Group snapshotEntry(char type, String px, String size, Integer position) {
        Group g = new quickfix.fix44.MarketDataSnapshotFullRefresh.NoMDEntries();
        g.setChar(269, type);
        g.setString(270, px);
        g.setString(271, size);
        if (position != null) g.setInt(290, position);
        return g;
    }

    private static Group incrementalEntry(char action, char type, String symbol, String px, String size,
                                          Integer position) {
        Group g = new quickfix.fix44.MarketDataIncrementalRefresh.NoMDEntries();
        g.setChar(279, action);
        g.setChar(269, type);
        g.setString(55, symbol);
        if (px != null) g.setString(270, px);
        if (size != null) g.setString(271, size);
        if (position != null) g.setInt(290, position);
        return g;
    }
}
