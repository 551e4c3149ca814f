package io.tradergateway.plan;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What {@link PlanValidator} needs to know about the world at validation time. The engine implements it over its
 * live state (connected venues' security lists, the market book); tests use {@link #of}.
 */
public interface ValidationContext {

    /** The current time (from the injected clock). */
    Instant now();

    /** Symbols listed by at least one connected venue. */
    Set<String> tradeableSymbols();

    /** Names of the venues the gateway knows (configured sessions), connected or not. */
    Set<String> knownVenues();

    /** The symbol's reference price (last trade, else mid), when known. */
    Optional<BigDecimal> referencePrice(String symbol);

    static ValidationContext of(Instant now, Set<String> tradeableSymbols, Set<String> knownVenues,
                                Function<String, Optional<BigDecimal>> referencePrices) {
        return new Simple(now, Set.copyOf(tradeableSymbols), Set.copyOf(knownVenues), referencePrices);
    }

    static ValidationContext of(Instant now, Set<String> tradeableSymbols, Set<String> knownVenues,
                                Map<String, BigDecimal> referencePrices) {
        Map<String, BigDecimal> prices = Map.copyOf(referencePrices);
        return of(now, tradeableSymbols, knownVenues, symbol -> Optional.ofNullable(prices.get(symbol)));
    }

    /** A fixed snapshot. */
    record Simple(Instant now, Set<String> tradeableSymbols, Set<String> knownVenues,
                  Function<String, Optional<BigDecimal>> referencePrices) implements ValidationContext {
        public Simple {
            Objects.requireNonNull(now, "now");
            Objects.requireNonNull(tradeableSymbols, "tradeableSymbols");
            Objects.requireNonNull(knownVenues, "knownVenues");
            Objects.requireNonNull(referencePrices, "referencePrices");
        }

        @Override
        public Optional<BigDecimal> referencePrice(String symbol) {
            return referencePrices.apply(symbol);
        }
    }
}
