package io.tradergateway.routing;

import java.util.Locale;

/** Why a venue was not a candidate for an order. */
public enum ExclusionReason {
    SESSION_DOWN("FIX session is down"),
    SYMBOL_NOT_LISTED("does not list the symbol"),
    NOT_PREFERRED("not in venue_preferences");

    private final String description;

    ExclusionReason(String description) {
        this.description = description;
    }

    /** Human wording, e.g. for an error_message: "SIM_A: FIX session is down". */
    public String description() {
        return description;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
