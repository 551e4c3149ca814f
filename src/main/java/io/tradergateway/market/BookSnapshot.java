package io.tradergateway.market;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A full refresh of one venue's book for one symbol (35=W): replaces both sides. Levels may come in any order;
 * the book sorts them best first.
 *
 * @param lastTrade the last trade the venue reports in the snapshot, if any. It moves the last price but is NOT
 *                  added to the volume window: it re-reports a trade that already happened (and would be counted
 *                  again on every re-subscription).
 */
public record BookSnapshot(String venue, String symbol, List<BookLevel> bids, List<BookLevel> offers,
                           Optional<TradePrint> lastTrade, Instant time) implements MarketDataEvent {
    public BookSnapshot {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(time, "time");
        bids = bids == null ? List.of() : List.copyOf(bids);
        offers = offers == null ? List.of() : List.copyOf(offers);
        lastTrade = lastTrade == null ? Optional.empty() : lastTrade;
    }
}
