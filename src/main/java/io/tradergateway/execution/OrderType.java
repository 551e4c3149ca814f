package io.tradergateway.execution;

import java.util.Locale;

public enum OrderType {
    MARKET, LIMIT;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** Lower case, as the ops log writes it ({@code market}). */
    public String wireName() {
        return wireName;
    }
}
