package io.tradergateway.domain;

import java.util.Objects;

/** Our identifier of an order sent to a venue (FIX tag 11). Unique and durable across restarts. */
public record ClOrdId(String value) {
    public ClOrdId {
        Objects.requireNonNull(value, "ClOrdID");
        if (value.isBlank()) throw new IllegalArgumentException("blank ClOrdID");
    }

    @Override
    public String toString() {
        return value;
    }
}
