package io.tradergateway.execution;

import java.util.Locale;

/** Whether an order opens a plan's position (entry) or reduces it (exit). */
public enum Leg {
    ENTRY, EXIT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
