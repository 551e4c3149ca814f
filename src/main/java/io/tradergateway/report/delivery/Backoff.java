package io.tradergateway.report.delivery;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with jitter: after the n-th consecutive failure the base wait is
 * {@code min(maxBackoff, initialBackoff × 2^(n−1))}, and the actual wait is drawn from
 * {@code (base × (1 − jitter), base]} so it never exceeds the cap and never collapses to zero.
 */
final class Backoff {

    private static final Duration FLOOR = Duration.ofMillis(1);

    private final Duration initial;
    private final Duration max;
    private final double jitter;
    private final DoubleSupplier random;

    /** @param random uniform values in [0, 1) */
    Backoff(DeliveryPolicy policy, DoubleSupplier random) {
        this.initial = policy.initialBackoff();
        this.max = policy.maxBackoff();
        this.jitter = policy.jitter();
        this.random = random;
    }

    /** Base wait (before jitter) after {@code consecutiveFailures} failed attempts (≥ 1). */
    Duration baseDelay(int consecutiveFailures) {
        if (consecutiveFailures < 1) throw new IllegalArgumentException("consecutiveFailures must be >= 1: " + consecutiveFailures);
        Duration base = initial;
        // Stops doubling once the cap is reached, so a long outage cannot overflow.
        for (int i = 1; i < consecutiveFailures && base.compareTo(max) < 0; i++) {
            base = base.multipliedBy(2);
        }
        return base.compareTo(max) > 0 ? max : base;
    }

    /** Wait before the next attempt after {@code consecutiveFailures} failed attempts (≥ 1). */
    Duration delay(int consecutiveFailures) {
        Duration base = baseDelay(consecutiveFailures);
        if (jitter == 0.0) return base;
        double r = random.getAsDouble();
        long nanos = Math.round(base.toNanos() * (1.0 - jitter * r));
        Duration jittered = Duration.ofNanos(nanos);
        return jittered.compareTo(FLOOR) < 0 ? FLOOR : jittered;
    }
}
