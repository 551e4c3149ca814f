package io.tradergateway.market;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The market state of every symbol, fed with the {@link MarketDataEvent}s the FIX adapter produces.
 * Owned by the trading thread (not thread-safe by design).
 */
public final class MarketBook {

    private final Duration windowLength;
    private final Map<String, SymbolMarket> symbols = new TreeMap<>();

    /** With the default 60 s rolling window. */
    public MarketBook() {
        this(MarketDataWindow.DEFAULT_LENGTH);
    }

    /** @param windowLength length of each symbol's rolling trade window (the SPEC's configurable window) */
    public MarketBook(Duration windowLength) {
        Objects.requireNonNull(windowLength, "windowLength");
        if (windowLength.isNegative() || windowLength.isZero()) {
            throw new IllegalArgumentException("window length must be > 0, got " + windowLength);
        }
        this.windowLength = windowLength;
    }

    public Duration windowLength() {
        return windowLength;
    }

    /** The symbol's market state, created empty on first use. */
    public SymbolMarket symbol(String symbol) {
        Objects.requireNonNull(symbol, "symbol");
        return symbols.computeIfAbsent(symbol, s -> new SymbolMarket(s, windowLength));
    }

    /** The symbol's market state if any event has been seen for it (never creates one). */
    public Optional<SymbolMarket> find(String symbol) {
        return Optional.ofNullable(symbols.get(symbol));
    }

    /** The symbol's market state, or an empty one that is not kept: for questions, which must not add symbols. */
    public SymbolMarket peek(String symbol) {
        SymbolMarket known = symbols.get(Objects.requireNonNull(symbol, "symbol"));
        return known != null ? known : new SymbolMarket(symbol, windowLength);
    }

    /** Symbols with market state, in name order. */
    public Set<String> symbols() {
        return Collections.unmodifiableSet(symbols.keySet());
    }

    public void apply(MarketDataEvent event) {
        Objects.requireNonNull(event, "event");
        symbol(event.symbol()).apply(event);
    }

    /** Empties every book of {@code venue} (its session went down); last prices and trade windows are kept. */
    public void clearVenue(String venue) {
        symbols.values().forEach(market -> market.clearVenue(venue));
    }
}
