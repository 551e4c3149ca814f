package io.tradergateway.market;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A trade reported by a venue (MDEntryType=2 in an incremental refresh).
 *
 * @param qty traded quantity; null when the venue did not say (counts as zero volume)
 */
public record TradePrint(String venue, String symbol, BigDecimal price, BigDecimal qty, Instant time)
        implements MarketDataEvent {
    public TradePrint {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(time, "time");
    }
}
