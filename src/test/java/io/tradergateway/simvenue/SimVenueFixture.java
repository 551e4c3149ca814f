package io.tradergateway.simvenue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A fresh simulated venue (free ports, temp data dir, no background ticks, predictable profiles unless a subclass
 * changes {@link #configure}) and a plain QuickFIX/J initiator logged on to every venue, per test.
 */
@Timeout(60)
abstract class SimVenueFixture {
    @TempDir
    Path dataDir;
    SimVenueConfig config;
    SimVenue sim;
    TestFixClient client;

    /** Subclasses adjust the test config here. */
    SimVenueConfig configure(SimVenueConfig base) {
        return base;
    }

    /** The sim's clock; subclasses move it (e.g. to just before the end of the trading day). */
    Clock clock() {
        return Clock.systemUTC();
    }

    @BeforeEach
    void startSimAndClient() throws Exception {
        config = configure(TestFixClient.testConfig(dataDir));
        sim = SimVenue.start(config, clock());
        client = TestFixClient.connect(config);
    }

    @AfterEach
    void stopSimAndClient() {
        if (client != null) client.close();
        if (sim != null) sim.close();
    }

    static BigDecimal bd(String value) {
        return new BigDecimal(value);
    }

    static boolean same(BigDecimal expected, BigDecimal actual) {
        return actual != null && expected.compareTo(actual) == 0;
    }
}
