package io.tradergateway.report.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * How reports are pushed.
 *
 * @param batchSize      reports per POST, 1..{@value #MAX_BATCH_SIZE}
 * @param initialBackoff wait after the first failed attempt; doubles on each further failure
 * @param maxBackoff     cap of the doubling (at most one day)
 * @param jitter         fraction in [0, 1): each wait is drawn uniformly from (base × (1 − jitter), base], so
 *                       consumers that failed together do not retry in lock-step and a wait never exceeds the cap
 * @param pollInterval   how often an idle worker re-reads the outbox when nobody called
 *                       {@link ReportDispatcher#wakeUp()} (a safety net; wake-ups are the normal path)
 */
public record DeliveryPolicy(int batchSize, Duration initialBackoff, Duration maxBackoff, double jitter,
                             Duration pollInterval) {

    public static final int MAX_BATCH_SIZE = 1000;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    public DeliveryPolicy {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be in [1, " + MAX_BATCH_SIZE + "]: " + batchSize);
        }
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        requirePositive("pollInterval", pollInterval);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
        }
        if (maxBackoff.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("maxBackoff must be at most one day: " + maxBackoff);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        }
    }

    /** The four-setting form; polls the outbox every {@link #DEFAULT_POLL_INTERVAL} when idle. */
    public DeliveryPolicy(int batchSize, Duration initialBackoff, Duration maxBackoff, double jitter) {
        this(batchSize, initialBackoff, maxBackoff, jitter, DEFAULT_POLL_INTERVAL);
    }

    /** 100 reports a batch, back-off 250 ms doubling to 30 s with 20 % jitter, 1 s idle poll. */
    public static DeliveryPolicy defaults() {
        return new DeliveryPolicy(100, Duration.ofMillis(250), Duration.ofSeconds(30), 0.2, DEFAULT_POLL_INTERVAL);
    }

    public DeliveryPolicy withPollInterval(Duration interval) {
        return new DeliveryPolicy(batchSize, initialBackoff, maxBackoff, jitter, interval);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) throw new IllegalArgumentException(name + " must be positive: " + value);
    }
}
