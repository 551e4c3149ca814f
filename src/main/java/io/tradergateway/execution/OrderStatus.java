package io.tradergateway.execution;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Life of one order at a venue, with the transitions FIX 4.4 allows as a table. A transition not in the
 * table is refused by {@link #canMoveTo}: the engine logs it with the event that caused it and keeps the
 * old state (fills are still counted: money that moved at the venue is a fact, whatever our state says).
 */
public enum OrderStatus {
    PENDING_NEW, NEW, PARTIALLY_FILLED, FILLED, PENDING_CANCEL, PENDING_REPLACE, CANCELED, REJECTED, EXPIRED;

    private static final Map<OrderStatus, Set<OrderStatus>> ALLOWED = new EnumMap<>(OrderStatus.class);

    static {
        ALLOWED.put(PENDING_NEW, EnumSet.of(NEW, PARTIALLY_FILLED, FILLED, REJECTED, CANCELED, EXPIRED, PENDING_CANCEL));
        ALLOWED.put(NEW, EnumSet.of(NEW, PARTIALLY_FILLED, FILLED, PENDING_CANCEL, PENDING_REPLACE, CANCELED, EXPIRED));
        ALLOWED.put(PARTIALLY_FILLED, EnumSet.of(PARTIALLY_FILLED, FILLED, PENDING_CANCEL, PENDING_REPLACE, CANCELED, EXPIRED));
        // A cancel or replace in flight can still be overtaken by fills, and a 35=9 reject puts the order back.
        // ... and an order cancelled before it was acknowledged may turn out rejected (or unknown to the venue).
        ALLOWED.put(PENDING_CANCEL, EnumSet.of(PENDING_CANCEL, NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, REJECTED));
        ALLOWED.put(PENDING_REPLACE, EnumSet.of(PENDING_REPLACE, NEW, PARTIALLY_FILLED, FILLED, PENDING_CANCEL, CANCELED, EXPIRED));
        ALLOWED.put(FILLED, EnumSet.noneOf(OrderStatus.class));
        ALLOWED.put(CANCELED, EnumSet.noneOf(OrderStatus.class));
        ALLOWED.put(REJECTED, EnumSet.noneOf(OrderStatus.class));
        ALLOWED.put(EXPIRED, EnumSet.noneOf(OrderStatus.class));
    }

    public boolean canMoveTo(OrderStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }

    /** Working at the venue (or about to be): can still fill. */
    public boolean isWorking() {
        return !isTerminal();
    }
}
