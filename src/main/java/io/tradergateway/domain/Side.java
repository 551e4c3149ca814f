package io.tradergateway.domain;

import java.util.Locale;

/** Side of an order or fill, as the venue sees it. */
public enum Side {
    BUY, SELL;

    /** +1 for a buy, -1 for a sell: the sign a fill of this side adds to a position. */
    public int sign() {
        return this == BUY ? 1 : -1;
    }

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
