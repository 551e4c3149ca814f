package io.tradergateway.market;

import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One incremental change to one venue's book (an MDEntry of 35=X with MDUpdateAction 279).
 * <p>
 * With a {@code position} ≥ 1 (MDPriceLevel, 1 = best) the update is positional, as in FIX:
 * NEW inserts at that level and shifts worse levels down, CHANGE replaces the level, DELETE removes it and shifts
 * worse levels up. With {@code position} 0 (the venue sent no level) the update is keyed by price: NEW/CHANGE set
 * the size at that price (inserting the level in price order if needed; a size ≤ 0 removes it), DELETE removes
 * the level at that price.
 *
 * @param bookSide BUY = the bid side, SELL = the offer side
 * @param position 1-based level, or 0 for a price-keyed update
 * @param price    may be null for a positional DELETE
 * @param size     may be null for a DELETE
 */
public record BookLevelUpdate(String venue, String symbol, Side bookSide, int position, Action action,
                              BigDecimal price, BigDecimal size, Instant time) implements MarketDataEvent {

    /** MDUpdateAction (279): 0 = NEW, 1 = CHANGE, 2 = DELETE. */
    public enum Action { NEW, CHANGE, DELETE }

    public BookLevelUpdate {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(bookSide, "bookSide");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(time, "time");
        if (position < 0) throw new IllegalArgumentException("position must be >= 0, got " + position);
    }
}
