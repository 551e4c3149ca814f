package io.tradergateway.position;

import java.util.Objects;

/**
 * The decision to exit a position: why, and a short sentence with the figures that triggered it
 * (e.g. "stop_loss 95 reached: price 94.8").
 */
public record ExitSignal(ExitReason reason, String detail) {
    public ExitSignal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
