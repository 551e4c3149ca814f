package io.tradergateway.market;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable copy of what the gateway knows about one symbol's market at {@code conditions.at()}: the measures entry
 * conditions are evaluated against, the last trade, and each venue's top of book and depth. Taken on the trading
 * thread ({@link #of}), readable anywhere (for {@code GET /v1/market/{symbol}}).
 *
 * @param symbol         the symbol
 * @param window         length of the rolling trade window the volume and volatility are measured over
 * @param conditions     price (last trade, else mid), volume, volatility and trade count, as entry conditions see them
 * @param lastTradePrice the last trade price, null before any trade
 * @param lastTradeTime  when it printed, null before any trade
 * @param lastTradeVenue where it printed, null before any trade
 * @param venues         one entry per venue that has sent a book for the symbol, in venue name order
 */
public record MarketView(String symbol, Duration window, ConditionInputs conditions, BigDecimal lastTradePrice,
                         Instant lastTradeTime, String lastTradeVenue, List<VenueDepth> venues) {

    public MarketView {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(conditions, "conditions");
        venues = List.copyOf(venues);
    }

    /**
     * One venue's book for the symbol: its best levels (null for an empty side) and the total size and number of
     * levels shown on each side.
     */
    public record VenueDepth(String venue, BookLevel bestBid, BookLevel bestOffer, BigDecimal bidDepth,
                             BigDecimal offerDepth, int bidLevels, int offerLevels, Instant lastUpdate) {

        static VenueDepth of(VenueBook book) {
            List<BookLevel> bids = book.bids();
            List<BookLevel> offers = book.offers();
            return new VenueDepth(book.venue(), bids.isEmpty() ? null : bids.get(0),
                    offers.isEmpty() ? null : offers.get(0), total(bids), total(offers), bids.size(), offers.size(),
                    book.lastUpdate().orElse(null));
        }

        private static BigDecimal total(List<BookLevel> levels) {
            return levels.stream().map(BookLevel::size).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    /** The view of {@code market} at {@code now}. */
    public static MarketView of(SymbolMarket market, Instant now) {
        List<VenueDepth> venues = market.venues().stream()
                .map(market::venueBook).flatMap(Optional::stream).map(VenueDepth::of).toList();
        return new MarketView(market.symbol(), market.window().length(), ConditionInputs.from(market, now),
                market.lastTradePrice().orElse(null), market.lastTradeTime().orElse(null),
                market.lastTradeVenue().orElse(null), venues);
    }
}
