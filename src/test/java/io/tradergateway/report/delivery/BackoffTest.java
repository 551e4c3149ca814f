package io.tradergateway.report.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffTest {

    private static final DeliveryPolicy POLICY =
            new DeliveryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1));

    @Test
    void baseDelayDoublesFromInitialAndStopsAtTheCap() {
        Backoff backoff = new Backoff(POLICY, () -> 0.0);
        assertEquals(Duration.ofMillis(100), backoff.baseDelay(1));
        assertEquals(Duration.ofMillis(200), backoff.baseDelay(2));
        assertEquals(Duration.ofMillis(400), backoff.baseDelay(3));
        assertEquals(Duration.ofMillis(800), backoff.baseDelay(4));
        assertEquals(Duration.ofSeconds(1), backoff.baseDelay(5)); // 1600 ms capped
        assertEquals(Duration.ofSeconds(1), backoff.baseDelay(Integer.MAX_VALUE)); // no overflow in a long outage
    }

    @Test
    void jitterShortensTheWaitByUpToTheJitterFraction() {
        // wait = base × (1 − jitter × r); jitter 0.5, r 0.5 → 0.75 × base
        Backoff half = new Backoff(POLICY, () -> 0.5);
        assertEquals(Duration.ofMillis(75), half.delay(1));
        assertEquals(Duration.ofMillis(300), half.delay(3));
        assertEquals(Duration.ofMillis(750), half.delay(9));
        // r 0 → the full base; r close to 1 → just above half of it
        assertEquals(Duration.ofMillis(400), new Backoff(POLICY, () -> 0.0).delay(3));
        assertEquals(Duration.ofNanos(200_020_000), new Backoff(POLICY, () -> 0.9999).delay(3));
    }

    @Test
    void withoutJitterTheWaitIsTheBase() {
        DeliveryPolicy noJitter = new DeliveryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1), 0.0, Duration.ofSeconds(1));
        Backoff backoff = new Backoff(noJitter, () -> 0.7);
        assertEquals(Duration.ofMillis(200), backoff.delay(2));
    }

    @Test
    void failureCountStartsAtOne() {
        Backoff backoff = new Backoff(POLICY, () -> 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backoff.delay(0));
        assertEquals("consecutiveFailures must be >= 1: 0", e.getMessage());
    }
}
