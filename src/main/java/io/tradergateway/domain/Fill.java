package io.tradergateway.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One execution at a venue: quantity at a price, with the venue's fee for it.
 * (venue, clOrdId, execId) is the fill's identity ({@link Key}): a re-sent ExecutionReport carries the same three.
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

    /**
     * What makes a fill unique: its venue, its order and its ExecID. The order is part of it because a venue that
     * restarts may number its executions from 1 again.
     */
    public record Key(String venue, ClOrdId clOrdId, ExecId execId) {
    }

    public Key key() {
        return new Key(venue, clOrdId, execId);
    }

    public BigDecimal notional() {
        return quantity.multiply(price);
    }
}
