package io.tradergateway.domain;

import java.util.Locale;

/** How a plan's entry is worked at the venue. */
public enum ExecutionStrategy {
    MARKET, LIMIT, TWAP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
