package io.tradergateway.position;

import io.tradergateway.domain.Fill;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The current {@link Position} per symbol. Not thread-safe: owned by the engine's single trading thread.
 * A position that went flat stays in the book (it still carries realized P&amp;L and fees).
 */
public final class PositionBook {
    private final Map<String, Position> bySymbol = new TreeMap<>();

    /** The symbol's position, {@link Position#flat} if it never traded. */
    public Position get(String symbol) {
        Objects.requireNonNull(symbol, "symbol");
        return bySymbol.getOrDefault(symbol, Position.flat(symbol));
    }

    /** Whether the symbol was ever traded (its position is kept, flat or not). */
    public boolean holds(String symbol) {
        return bySymbol.containsKey(symbol);
    }

    /** Applies the fill to its symbol's position and keeps the result. */
    public PositionUpdate apply(Fill fill) {
        PositionUpdate update = get(fill.symbol()).apply(fill);
        bySymbol.put(fill.symbol(), update.after());
        return update;
    }

    /** Puts back a position loaded from storage. */
    public void restore(Position position) {
        bySymbol.put(position.symbol(), Objects.requireNonNull(position, "position"));
    }

    /** Forgets every position (before reloading them all from storage). */
    public void clear() {
        bySymbol.clear();
    }

    /** Every position ever held, by symbol. */
    public Collection<Position> all() {
        return Collections.unmodifiableCollection(bySymbol.values());
    }
}
