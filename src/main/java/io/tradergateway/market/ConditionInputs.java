package io.tradergateway.market;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A snapshot of the market measures plans' conditions are evaluated against, taken at {@code at}.
 *
 * @param at             when the snapshot was taken
 * @param price          the SPEC's price (last trade, else mid); null when unknown
 * @param volume         traded quantity in the rolling window (zero without trades)
 * @param volatility     standard deviation of log returns in the window (a fraction); null when not measurable
 *                       (fewer than 3 trades in the window)
 * @param tradesInWindow number of trades in the window
 */
public record ConditionInputs(Instant at, BigDecimal price, BigDecimal volume, Double volatility,
                              int tradesInWindow) {

    public ConditionInputs {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(volume, "volume");
    }

    /** The measures of {@code market} and its rolling window at {@code now}. */
    public static ConditionInputs from(SymbolMarket market, Instant now) {
        MarketDataWindow window = market.window();
        Double volatility = window.volatilityMeasurable(now) ? window.volatility(now) : null;
        return new ConditionInputs(now, market.price().orElse(null), window.volume(now), volatility,
                window.tradeCount(now));
    }

    public Optional<BigDecimal> priceIfKnown() {
        return Optional.ofNullable(price);
    }

    public OptionalDouble volatilityIfKnown() {
        return volatility == null ? OptionalDouble.empty() : OptionalDouble.of(volatility);
    }
}
