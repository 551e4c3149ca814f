package io.tradergateway.execution;

import java.util.Locale;

/** Where a plan is in its life; the lower-case name is what the API shows. */
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

    public boolean isTerminal() {
        return this == CLOSED || this == CANCELLED || this == FAILED || this == FILLED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
