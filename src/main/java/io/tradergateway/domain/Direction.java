package io.tradergateway.domain;

import java.util.Locale;

/** Direction of a trading plan: long buys to open, short sells to open. */
public enum Direction {
    LONG, SHORT;

    public Side entrySide() {
        return this == LONG ? Side.BUY : Side.SELL;
    }

    public Side exitSide() {
        return entrySide().opposite();
    }

    /** +1 for long, -1 for short. */
    public int sign() {
        return this == LONG ? 1 : -1;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Direction fromWire(String value) {
        return switch (value) {
            case "long" -> LONG;
            case "short" -> SHORT;
            default -> throw new IllegalArgumentException("unknown direction: " + value);
        };
    }
}
