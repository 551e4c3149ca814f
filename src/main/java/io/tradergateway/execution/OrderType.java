package io.tradergateway.execution;

public enum OrderType {
    MARKET, LIMIT;

    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    /** Lower case, as the ops log writes it ({@code market}). */
    public String wireName() {
        return wireName;
    }
}
