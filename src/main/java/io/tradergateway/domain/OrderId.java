package io.tradergateway.domain;

import java.util.Objects;

/** The venue's identifier of an order (FIX tag 37). */
public record OrderId(String value) {
    public OrderId {
        Objects.requireNonNull(value, "OrderID");
    }

    @Override
    public String toString() {
        return value;
    }
}
