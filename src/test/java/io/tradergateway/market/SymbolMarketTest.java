package io.tradergateway.market;

import io.tradergateway.domain.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.tradergateway.market.BookLevelUpdate.Action.CHANGE;
import static io.tradergateway.market.BookLevelUpdate.Action.DELETE;
import static io.tradergateway.market.BookLevelUpdate.Action.NEW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SymbolMarketTest {

    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    static final String DEEP = "SIM_DEEP";
    static final String FAST = "SIM_FAST";

    private final MarketBook book = new MarketBook();

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static BookLevel lvl(String price, String size) {
        return BookLevel.of(price, size);
    }

    /** SIM_DEEP AAPL: bids 99.95×100, 99.90×400, 99.80×1000; offers 100.00×200, 100.05×300, 100.20×500. */
    private void deepSnapshot() {
        // deliberately out of order: the book sorts best first
        book.apply(new BookSnapshot(DEEP, "AAPL",
                List.of(lvl("99.90", "400"), lvl("99.95", "100"), lvl("99.80", "1000")),
                List.of(lvl("100.05", "300"), lvl("100.20", "500"), lvl("100.00", "200")),
                Optional.empty(), T));
    }

    private SymbolMarket aapl() {
        return book.symbol("AAPL");
    }

    private BookLevelUpdate update(Side side, int position, BookLevelUpdate.Action action, String price, String size) {
        return new BookLevelUpdate(DEEP, "AAPL", side, position, action, price == null ? null : d(price),
                size == null ? null : d(size), T.plusSeconds(1));
    }

    /** The best levels and their mid are worked out once per book change: every kind of change is seen at once. */
    @Test
    void theTopOfBookFollowsEveryChangeOfTheBooks() {
        deepSnapshot();
        assertEquals(d("99.975"), aapl().mid().orElseThrow());
        assertEquals(d("99.95"), aapl().bestBid().orElseThrow().price());

        book.apply(new BookSnapshot(FAST, "AAPL", List.of(lvl("99.97", "10")), List.of(lvl("99.99", "20")), Optional.empty(), T));
        assertEquals(d("99.97"), aapl().bestBid().orElseThrow().price());
        assertEquals(d("99.98"), aapl().mid().orElseThrow());

        aapl().clearVenue(FAST);
        assertEquals(d("99.975"), aapl().mid().orElseThrow());

        book.apply(update(Side.SELL, 1, DELETE, null, null));
        assertEquals(d("100.05"), aapl().bestOffer().orElseThrow().price());
        assertEquals(d("100.00"), aapl().mid().orElseThrow());

        book.apply(new TradePrint(DEEP, "AAPL", d("100.01"), d("5"), T.plusSeconds(2)));
        assertEquals(d("100.00"), aapl().mid().orElseThrow(), "a trade moves the last price, not the books");
        assertEquals(d("100.01"), aapl().price().orElseThrow());
    }

    @Test
    void marketViewCopiesTheMeasuresAndEachVenuesTopAndDepth() {
        deepSnapshot();
        book.apply(new BookSnapshot(FAST, "AAPL", List.of(), List.of(lvl("100.01", "20")), Optional.empty(), T));
        book.apply(new TradePrint(FAST, "AAPL", d("100.01"), d("20"), T.plusSeconds(2)));

        MarketView view = MarketView.of(aapl(), T.plusSeconds(3));
        assertEquals("AAPL", view.symbol());
        assertEquals(book.windowLength(), view.window());
        assertEquals(d("100.01"), view.lastTradePrice());
        assertEquals(FAST, view.lastTradeVenue());
        assertEquals(ConditionInputs.from(aapl(), T.plusSeconds(3)), view.conditions());
        assertEquals(List.of(
                        new MarketView.VenueDepth(DEEP, lvl("99.95", "100"), lvl("100.00", "200"), d("1500"), d("1000"), 3, 3, T),
                        new MarketView.VenueDepth(FAST, null, lvl("100.01", "20"), BigDecimal.ZERO, d("20"), 0, 1, T)),
                view.venues());
    }

    @Test
    void snapshotIsSortedBestFirst() {
        deepSnapshot();
        VenueBook venueBook = aapl().venueBook(DEEP).orElseThrow();
        assertEquals(List.of(lvl("99.95", "100"), lvl("99.90", "400"), lvl("99.80", "1000")), venueBook.bids());
        assertEquals(List.of(lvl("100.00", "200"), lvl("100.05", "300"), lvl("100.20", "500")), venueBook.offers());
        Quote quote = aapl().bestBidOffer(DEEP).orElseThrow();
        assertEquals(lvl("99.95", "100"), quote.bid());
        assertEquals(lvl("100.00", "200"), quote.offer());
        assertEquals(d("0.05"), quote.spread().orElseThrow());
        // mid (99.95 + 100.00) / 2 = 99.975
        assertEquals(d("99.975"), quote.mid().orElseThrow());
        assertEquals(T, quote.time());
        assertEquals(Optional.empty(), aapl().bestBidOffer(FAST));
    }

    @Test
    void priceIsMidAcrossVenuesUntilATradeThenTheLastTrade() {
        assertEquals(Optional.empty(), aapl().price());
        deepSnapshot();
        book.apply(new BookSnapshot(FAST, "AAPL", List.of(lvl("99.97", "50")), List.of(lvl("100.03", "50")),
                Optional.empty(), T));
        // best bid 99.97 (FAST), best offer 100.00 (DEEP): mid = 199.97 / 2 = 99.985
        assertEquals(d("99.985"), aapl().price().orElseThrow());
        book.apply(new TradePrint(FAST, "AAPL", d("100.01"), d("10"), T.plusSeconds(1)));
        assertEquals(d("100.01"), aapl().price().orElseThrow());
        assertEquals(Optional.of(FAST), aapl().lastTradeVenue());
    }

    @Test
    void oneSidedMarketHasNoMid() {
        book.apply(new BookSnapshot(DEEP, "AAPL", List.of(lvl("99.95", "100")), List.of(), Optional.empty(), T));
        assertEquals(Optional.empty(), aapl().price());
        Quote quote = aapl().bestBidOffer(DEEP).orElseThrow();
        assertFalse(quote.isTwoSided());
        assertEquals(Optional.empty(), quote.mid());
    }

    @Test
    void latePrintDoesNotMoveTheLastPriceBack() {
        book.apply(new TradePrint(DEEP, "AAPL", d("101"), d("1"), T.plusSeconds(10)));
        book.apply(new TradePrint(FAST, "AAPL", d("99"), d("1"), T.plusSeconds(5)));
        assertEquals(d("101"), aapl().price().orElseThrow());
        assertEquals(d("2"), aapl().window().volume(T.plusSeconds(10)), "both prints are volume");
    }

    @Test
    void snapshotLastTradeMovesThePriceButAddsNoVolume() {
        book.apply(new BookSnapshot(DEEP, "AAPL", List.of(lvl("99.95", "100")), List.of(lvl("100.00", "200")),
                Optional.of(new TradePrint(DEEP, "AAPL", d("99.98"), d("500"), T)), T));
        assertEquals(d("99.98"), aapl().price().orElseThrow());
        assertEquals(0, aapl().window().volume(T).signum());
    }

    @Test
    void eachVenuesPrintCountsAsATrade() {
        book.apply(new TradePrint(DEEP, "AAPL", d("100"), d("30"), T));
        book.apply(new TradePrint(FAST, "AAPL", d("100"), d("30"), T));
        assertEquals(d("60"), aapl().window().volume(T));
    }

    @Test
    void depthWithinSlippageOnTheSideTheOrderTakes() {
        deepSnapshot();
        // buy, expected 100.00, 0.1 %: offers priced <= 100.10 -> 200 + 300
        assertEquals(d("500"), aapl().depthWithin(DEEP, Side.BUY, d("100.00"), d("0.001")));
        // buy with no slippage allowed: only the 100.00 level
        assertEquals(d("200"), aapl().depthWithin(DEEP, Side.BUY, d("100.00"), BigDecimal.ZERO));
        // sell, expected 100.00, 0.15 %: bids priced >= 99.85 -> 100 + 400
        assertEquals(d("500"), aapl().depthWithin(DEEP, Side.SELL, d("100.00"), d("0.0015")));
        // sell, 0.2 %: bids >= 99.80 -> 100 + 400 + 1000 (the limit is inclusive)
        assertEquals(d("1500"), aapl().depthWithin(DEEP, Side.SELL, d("100.00"), d("0.002")));
        assertEquals(0, aapl().depthWithin(FAST, Side.BUY, d("100"), d("0.01")).signum());
    }

    @Test
    void vwapWalksTheBook() {
        deepSnapshot();
        // buy 400: 200 @ 100.00 + 200 @ 100.05 = 20000 + 20010 = 40010; / 400 = 100.025
        assertEquals(0, d("100.025").compareTo(aapl().vwapToFill(DEEP, Side.BUY, d("400")).orElseThrow()));
        // sell 300: 100 @ 99.95 + 200 @ 99.90 = 9995 + 19980 = 29975; / 300 = 99.91666...
        BigDecimal sell = aapl().vwapToFill(DEEP, Side.SELL, d("300")).orElseThrow();
        assertEquals(99.9166666667, sell.doubleValue(), 1e-9);
        // buy 100: entirely at the best offer
        assertEquals(0, d("100.00").compareTo(aapl().vwapToFill(DEEP, Side.BUY, d("100")).orElseThrow()));
    }

    @Test
    void vwapIsEmptyWhenTheBookIsTooThinButTheEstimateSaysHowFar() {
        deepSnapshot();
        assertEquals(Optional.empty(), aapl().vwapToFill(DEEP, Side.BUY, d("1500")));
        FillEstimate estimate = aapl().estimateFill(DEEP, Side.BUY, d("1500"));
        assertFalse(estimate.complete());
        assertEquals(d("1000"), estimate.fillable());
        // 200 @ 100.00 + 300 @ 100.05 + 500 @ 100.20 = 20000 + 30015 + 50100 = 100115; / 1000 = 100.115
        assertEquals(0, d("100.115").compareTo(estimate.averagePrice().orElseThrow()));
        assertEquals(d("100.20"), estimate.worstPrice().orElseThrow());
        assertEquals(Optional.empty(), aapl().vwapToFill(FAST, Side.BUY, d("1")));
    }

    @Test
    void positionalUpdatesInsertChangeAndDelete() {
        deepSnapshot();
        // a new best bid at level 1 pushes the others down
        book.apply(update(Side.BUY, 1, NEW, "99.97", "250"));
        assertEquals(List.of(lvl("99.97", "250"), lvl("99.95", "100"), lvl("99.90", "400"), lvl("99.80", "1000")),
                aapl().venueBook(DEEP).orElseThrow().bids());
        // level 2 size changes
        book.apply(update(Side.BUY, 2, CHANGE, "99.95", "150"));
        // the best offer is taken out: level 2 becomes level 1
        book.apply(update(Side.SELL, 1, DELETE, null, null));
        VenueBook venueBook = aapl().venueBook(DEEP).orElseThrow();
        assertEquals(lvl("99.95", "150"), venueBook.bids().get(1));
        assertEquals(List.of(lvl("100.05", "300"), lvl("100.20", "500")), venueBook.offers());
        assertEquals(d("99.97"), aapl().bestBidOffer(DEEP).orElseThrow().bid().price());
        assertEquals(d("100.05"), aapl().bestBidOffer(DEEP).orElseThrow().offer().price());
        assertEquals(T.plusSeconds(1), venueBook.lastUpdate().orElseThrow());
        assertEquals(0, venueBook.ignoredUpdates());
    }

    @Test
    void positionalUpdateBeyondTheBookIsIgnoredAndCounted() {
        deepSnapshot();
        book.apply(update(Side.SELL, 9, CHANGE, "101", "1"));
        book.apply(update(Side.SELL, 9, DELETE, null, null));
        // a NEW far beyond the end is appended
        book.apply(update(Side.SELL, 9, NEW, "100.50", "5"));
        VenueBook venueBook = aapl().venueBook(DEEP).orElseThrow();
        assertEquals(2, venueBook.ignoredUpdates());
        assertEquals(lvl("100.50", "5"), venueBook.offers().get(3));
    }

    @Test
    void priceKeyedUpdatesWithoutALevel() {
        deepSnapshot();
        book.apply(update(Side.SELL, 0, NEW, "100.10", "70"));     // inserted between 100.05 and 100.20
        book.apply(update(Side.SELL, 0, CHANGE, "100.05", "30"));  // size at an existing price
        book.apply(update(Side.SELL, 0, DELETE, "100.00", null));  // best offer removed
        book.apply(update(Side.BUY, 0, CHANGE, "99.90", "0"));     // size 0 removes the level
        VenueBook venueBook = aapl().venueBook(DEEP).orElseThrow();
        assertEquals(List.of(lvl("100.05", "30"), lvl("100.10", "70"), lvl("100.20", "500")), venueBook.offers());
        assertEquals(List.of(lvl("99.95", "100"), lvl("99.80", "1000")), venueBook.bids());
        book.apply(update(Side.SELL, 0, DELETE, "123.45", null));  // not in the book: a gap
        assertEquals(1, venueBook.ignoredUpdates());
    }

    @Test
    void clearingAVenueEmptiesItsBooksButKeepsTheLastPrice() {
        deepSnapshot();
        book.apply(new TradePrint(DEEP, "AAPL", d("100.00"), d("5"), T));
        book.clearVenue(DEEP);
        assertEquals(Optional.empty(), aapl().bestBidOffer(DEEP));
        assertEquals(0, aapl().depthWithin(DEEP, Side.BUY, d("100"), d("0.01")).signum());
        assertEquals(d("100.00"), aapl().price().orElseThrow());
    }

    @Test
    void marketBookKeepsSymbolsApart() {
        deepSnapshot();
        book.apply(new TradePrint(DEEP, "MSFT", d("400"), d("1"), T));
        assertEquals(List.of("AAPL", "MSFT"), List.copyOf(book.symbols()));
        assertEquals(d("400"), book.find("MSFT").orElseThrow().price().orElseThrow());
        assertTrue(book.find("TSLA").isEmpty());
        assertEquals(List.of(DEEP), List.copyOf(aapl().venues()));
        assertThrows(IllegalArgumentException.class,
                () -> aapl().apply(new TradePrint(DEEP, "MSFT", d("1"), d("1"), T)));
    }

    @Test
    void marketBookWindowLengthReachesEverySymbol() {
        MarketBook shortWindow = new MarketBook(Duration.ofSeconds(5));
        shortWindow.apply(new TradePrint(DEEP, "AAPL", d("100"), d("10"), T));
        assertEquals(Duration.ofSeconds(5), shortWindow.symbol("AAPL").window().length());
        assertEquals(0, shortWindow.symbol("AAPL").window().volume(T.plusSeconds(5)).signum());
    }

    /**
     * A venue's price the tables could not store (10^14 and up) or that is not positive is not used: kept, it would
     * become an order's expected price or limit, or the mark a fill is checked against.
     */
    @Test
    void pricesOutsideTheBoundsAreNotUsed() {
        book.apply(new BookSnapshot(DEEP, "AAPL", List.of(lvl("1e14", "100"), lvl("99.95", "100"), lvl("-1", "5")),
                List.of(lvl("100.00", "200")), Optional.of(new TradePrint(DEEP, "AAPL", d("1e20"), d("1"), T)), T));
        assertEquals(List.of(lvl("99.95", "100")), aapl().venueBook(DEEP).orElseThrow().bids());
        assertEquals(Optional.empty(), aapl().lastTradePrice());

        book.apply(update(Side.BUY, 0, BookLevelUpdate.Action.NEW, "1e20", "10"));
        book.apply(update(Side.BUY, 1, BookLevelUpdate.Action.NEW, "1e20", "10"));
        book.apply(update(Side.BUY, 1, BookLevelUpdate.Action.CHANGE, "0", "10"));
        book.apply(new TradePrint(DEEP, "AAPL", d("1e15"), d("1"), T.plusSeconds(2)));
        assertEquals(List.of(lvl("99.95", "100")), aapl().venueBook(DEEP).orElseThrow().bids());
        assertEquals(3, aapl().venueBook(DEEP).orElseThrow().ignoredUpdates());
        assertEquals(Optional.empty(), aapl().lastTradePrice());
        assertEquals(d("99.975"), aapl().mid().orElseThrow());
    }

    /** A feed that adds levels and never deletes one keeps the best {@link VenueBook#MAX_DEPTH} per side. */
    @Test
    void aBookThatIsNeverTrimmedByItsFeedKeepsItsBestLevels() {
        for (int i = 1; i <= 10_000; i++) {
            book.apply(update(Side.BUY, 0, BookLevelUpdate.Action.NEW, BigDecimal.valueOf(i, 2).toPlainString(), "1"));
            book.apply(update(Side.SELL, 0, BookLevelUpdate.Action.NEW, BigDecimal.valueOf(20_000 - i, 2).toPlainString(), "1"));
        }
        VenueBook deep = aapl().venueBook(DEEP).orElseThrow();
        assertEquals(VenueBook.MAX_DEPTH, deep.bids().size());
        assertEquals(VenueBook.MAX_DEPTH, deep.offers().size());
        assertEquals(d("100.00"), deep.bids().get(0).price());
        assertEquals(d("99.01"), deep.bids().get(VenueBook.MAX_DEPTH - 1).price());
        assertEquals(d("100.00"), deep.offers().get(0).price());
    }
}
