package io.tradergateway.execution;

import java.util.Locale;
import java.util.Optional;

/**
 * The desk's switch over new risk (SPEC §3 {@code /v1/trading-state}), stored so that a restart comes back in the same state.
 * Exits always run: they reduce risk.
 */
public enum TradingState {
    /** Plans accepted and worked as usual. */
    ACTIVE,
    /**
     * Only risk-reducing plans: a new plan is accepted when its direction reduces the symbol's current position; pending
     * and working entries that would add to a position are cancelled.
     */
    REDUCING,
    /** The kill switch: every pending entry and working entry order cancelled, no new plans. */
    HALTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TradingState> fromWire(String text) {
        for (TradingState s : values()) {
            if (s.wireName().equals(text)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
