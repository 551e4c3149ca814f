package io.tradergateway.domain;

/** How a plan's entry is worked at the venue. */
public enum ExecutionStrategy {
    MARKET, LIMIT, TWAP;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
