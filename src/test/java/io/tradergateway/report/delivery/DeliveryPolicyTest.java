package io.tradergateway.report.delivery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings validation of {@link DeliveryPolicy} and {@link ConsumerEndpoint}: a bad value names itself. */
class DeliveryPolicyTest {

    private static final Duration MS_100 = Duration.ofMillis(100);
    private static final Duration S_1 = Duration.ofSeconds(1);

    @Test
    void defaults() {
        DeliveryPolicy d = DeliveryPolicy.defaults();
        assertEquals(new DeliveryPolicy(100, Duration.ofMillis(250), Duration.ofSeconds(30), 0.2, Duration.ofSeconds(1)), d);
    }

    @Test
    void fourSettingFormPollsEverySecond() {
        DeliveryPolicy p = new DeliveryPolicy(5, MS_100, S_1, 0.1);
        assertEquals(Duration.ofSeconds(1), p.pollInterval());
        assertEquals(Duration.ofMillis(10), p.withPollInterval(Duration.ofMillis(10)).pollInterval());
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertMessage("batchSize must be in [1, 1000]: 0", () -> new DeliveryPolicy(0, MS_100, S_1, 0.1));
        assertMessage("batchSize must be in [1, 1000]: 1001", () -> new DeliveryPolicy(1001, MS_100, S_1, 0.1));
        assertMessage("initialBackoff must be positive: PT0S", () -> new DeliveryPolicy(10, Duration.ZERO, S_1, 0.1));
        assertMessage("maxBackoff PT0.05S is below initialBackoff PT0.1S", () -> new DeliveryPolicy(10, MS_100, Duration.ofMillis(50), 0.1));
        assertMessage("maxBackoff must be at most one day: PT48H", () -> new DeliveryPolicy(10, MS_100, Duration.ofDays(2), 0.1));
        assertMessage("jitter must be in [0, 1): 1.0", () -> new DeliveryPolicy(10, MS_100, S_1, 1.0));
        assertMessage("jitter must be in [0, 1): NaN", () -> new DeliveryPolicy(10, MS_100, S_1, Double.NaN));
        assertMessage("pollInterval must be positive: PT-1S", () -> new DeliveryPolicy(10, MS_100, S_1, 0.1, Duration.ofSeconds(-1)));
    }

    @Test
    void endpointWithoutUrlIsPullOnlyAndTimeoutDefaults() {
        ConsumerEndpoint pull = ConsumerEndpoint.pullOnly("learning_systems");
        assertFalse(pull.pushed());
        assertEquals(ConsumerEndpoint.DEFAULT_TIMEOUT, pull.timeout());
        ConsumerEndpoint push = new ConsumerEndpoint("alpha_detector", URI.create("https://alpha.internal/reports"), null);
        assertTrue(push.pushed());
        assertEquals(Duration.ofSeconds(10), push.timeout());
    }

    @Test
    void endpointRejectsBadSettingsNamingTheConsumer() {
        assertMessage("consumer alpha_detector: URL must be absolute http(s): ftp://alpha/reports",
                () -> new ConsumerEndpoint("alpha_detector", URI.create("ftp://alpha/reports"), S_1));
        assertMessage("consumer alpha_detector: URL must be absolute http(s): /reports",
                () -> new ConsumerEndpoint("alpha_detector", URI.create("/reports"), S_1));
        assertMessage("consumer alpha_detector: timeout must be positive: PT0S",
                () -> new ConsumerEndpoint("alpha_detector", URI.create("http://alpha/reports"), Duration.ZERO));
        assertMessage("blank consumer name", () -> new ConsumerEndpoint(" ", null, null));
    }

    private static void assertMessage(String expected, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertEquals(expected, e.getMessage());
    }
}
