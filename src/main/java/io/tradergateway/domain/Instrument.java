package io.tradergateway.domain;

import java.math.BigDecimal;
import java.util.Objects;

/** Reference data of a symbol at a venue, as the venue's SecurityList announces it. */
public record Instrument(String symbol, BigDecimal lotSize, BigDecimal tickSize) {
    public Instrument {
        Objects.requireNonNull(symbol, "symbol");
        if (lotSize == null || lotSize.signum() <= 0) throw new IllegalArgumentException("lot size of " + symbol + ": " + lotSize);
        if (tickSize == null || tickSize.signum() <= 0) throw new IllegalArgumentException("tick size of " + symbol + ": " + tickSize);
    }
}
