package io.tradergateway.report.delivery;

import java.time.Instant;

/**
 * What the dispatcher knows about one consumer, for {@code /health}, {@code /metrics} and operators.
 *
 * @param consumer            consumer name
 * @param state               {@link State#UP}, {@link State#DOWN} (the current batch is failing) or
 *                            {@link State#PULL_ONLY}
 * @param cursor              last sequence the consumer acknowledged (stored cursor)
 * @param lag                 outbox last sequence − cursor; −1 when the outbox could not be read
 * @param consecutiveFailures failed attempts at the current batch since the last acknowledgement
 * @param lastError           the most recent failure (kept after recovery), {@code null} if none yet
 * @param nextAttemptAt       when the failing batch is retried, {@code null} when not backing off
 * @param downSince           first failure of the current streak, {@code null} when up
 * @param lastAcknowledgedAt  time of the last 2xx, {@code null} if none since start
 */
public record ConsumerStatus(String consumer, State state, long cursor, long lag, int consecutiveFailures,
                             String lastError, Instant nextAttemptAt, Instant downSince,
                             Instant lastAcknowledgedAt) {

    public enum State { UP, DOWN, PULL_ONLY }

    public boolean up() {
        return state == State.UP;
    }
}
