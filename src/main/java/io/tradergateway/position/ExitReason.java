package io.tradergateway.position;

import java.util.Locale;

/** Why a position is exited; the exec-report's {@code exit_reason}. */
public enum ExitReason {
    STOP_LOSS, TAKE_PROFIT, CONDITION_MET, MANUAL;

    /** stop_loss, take_profit, condition_met, manual */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExitReason fromWire(String value) {
        for (ExitReason reason : values()) {
            if (reason.wireName().equals(value)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown exit reason: " + value);
    }
}
