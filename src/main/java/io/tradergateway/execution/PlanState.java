package io.tradergateway.execution;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a plan is in its life; the lower-case name is what the API shows. The moves an event may cause are a table,
 * like {@link OrderStatus}'s: {@link #canMoveTo}; {@link ActivePlan#moveTo} refuses (and logs, with the event) any other.
 * <p>
 * Not in the table: {@code EXITING -> OPEN}. Only one thing may do that, an exit given up after its attempts (the
 * position stays and is watched again), and it does so by {@link ActivePlan#reopenAfterFailedExit}; no fill, late or
 * not, can reopen a plan whose exit is working. Staying in a state is not a move either (except a working entry that
 * sends another order, {@code WORKING -> WORKING}): an entry that completes a second time (a late fill) changes no state.
 */
public enum PlanState {
    /** Accepted, waiting for its entry conditions on live market data. */
    PENDING_ENTRY,
    /** Entry orders working at a venue. */
    WORKING,
    /** Entry complete (fully or partly filled and done): the position is open and watched for exits. */
    OPEN,
    /** An exit order is working. */
    EXITING,
    /** The position from this plan was exited. */
    CLOSED,
    /** Entry done with no fill left to manage, or all that remained was cancelled. */
    CANCELLED,
    /** Rejected by validation or by the venues. */
    FAILED,
    /** Entry completed and there are no exit rules to watch; the fills stay in the position. */
    FILLED;

    private static final Map<PlanState, Set<PlanState>> ALLOWED = new EnumMap<>(PlanState.class);

    static {
        ALLOWED.put(PENDING_ENTRY, EnumSet.of(WORKING, CANCELLED, FAILED));
        ALLOWED.put(WORKING, EnumSet.of(WORKING, OPEN, FILLED, CANCELLED, FAILED));
        ALLOWED.put(OPEN, EnumSet.of(EXITING, CLOSED));
        ALLOWED.put(EXITING, EnumSet.of(CLOSED));
        ALLOWED.put(CLOSED, EnumSet.noneOf(PlanState.class));
        ALLOWED.put(CANCELLED, EnumSet.noneOf(PlanState.class));
        ALLOWED.put(FAILED, EnumSet.noneOf(PlanState.class));
        ALLOWED.put(FILLED, EnumSet.noneOf(PlanState.class));
    }

    public boolean canMoveTo(PlanState next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
