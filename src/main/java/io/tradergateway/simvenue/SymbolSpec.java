package io.tradergateway.simvenue;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One instrument of the simulated market and its reference-price process (geometric Brownian motion).
 *
 * @param symbol       ticker, e.g. AAPL
 * @param initialPrice reference mid at start
 * @param drift        annualised drift of the mid (0.05 = +5 % a year)
 * @param volatility   annualised volatility of the mid (0.30 = 30 %); a year is 252 days of 6.5 hours
 * @param lotSize      round lot: order quantities must be a multiple of it
 * @param tickSize     minimum price increment: limit prices must be a multiple of it
 */
public record SymbolSpec(String symbol, BigDecimal initialPrice, double drift, double volatility,
                         BigDecimal lotSize, BigDecimal tickSize) {
    public SymbolSpec {
        Objects.requireNonNull(symbol, "symbol");
        if (symbol.isBlank()) throw new IllegalArgumentException("blank symbol");
        check(initialPrice != null && initialPrice.signum() > 0, symbol, "initialPrice must be > 0: " + initialPrice);
        check(Double.isFinite(drift), symbol, "drift must be finite: " + drift);
        check(Double.isFinite(volatility) && volatility >= 0, symbol, "volatility must be >= 0: " + volatility);
        check(lotSize != null && lotSize.signum() > 0, symbol, "lotSize must be > 0: " + lotSize);
        check(tickSize != null && tickSize.signum() > 0, symbol, "tickSize must be > 0: " + tickSize);
    }

    private static void check(boolean ok, String symbol, String message) {
        if (!ok) throw new IllegalArgumentException("symbol " + symbol + ": " + message);
    }

    public boolean isLotMultiple(BigDecimal quantity) {
        return quantity.remainder(lotSize).signum() == 0;
    }

    public boolean isOnTick(BigDecimal price) {
        return price.remainder(tickSize).signum() == 0;
    }
}
