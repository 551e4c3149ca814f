package io.tradergateway.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One execution at a venue: quantity at a price, with the venue's fee for it.
 * (venue, execId) is the fill's identity: a re-sent ExecutionReport carries the same pair.
 */
public record Fill(String venue, ExecId execId, ClOrdId clOrdId, String symbol, Side side,
                   BigDecimal quantity, BigDecimal price, BigDecimal fee, Instant time) {
    public Fill {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(execId, "execId");
        Objects.requireNonNull(clOrdId, "clOrdId");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(fee, "fee");
        Objects.requireNonNull(time, "time");
        if (quantity == null || quantity.signum() <= 0) {
            throw new IllegalArgumentException("fill quantity must be positive: " + quantity);
        }
    }

    public BigDecimal notional() {
        return quantity.multiply(price);
    }
}
