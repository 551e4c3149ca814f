package io.tradergateway.simvenue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.SessionID;
import quickfix.SessionSettings;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading sim-venue/ settings, their agreement with the gateway's initiator config, withers and bad settings. */
class SimVenueConfigTest {
    private static final Path SHIPPED = Path.of("sim-venue");

    @TempDir
    Path tmp;

    @Test
    void shippedSettingsDefineThreeDistinctVenuesAndTheSymbols() {
        SimVenueConfig config = SimVenueConfig.load(SHIPPED);
        assertEquals(List.of("SIM_DEEP", "SIM_FAST", "SIM_CHEAP"), List.copyOf(config.venues()));
        assertEquals(9881, config.port("SIM_DEEP"));
        assertEquals(9882, config.port("SIM_FAST"));
        assertEquals(9883, config.port("SIM_CHEAP"));
        for (String venue : config.venues()) {
            assertTrue(config.profile(venue).symbols().containsAll(List.of("AAPL", "MSFT", "TSLA", "SPY")), venue);
        }
        assertFalse(config.profile("SIM_FAST").lists("NVDA"));
        assertTrue(config.profile("SIM_DEEP").lists("NVDA"));
        SymbolSpec aapl = config.symbols().get("AAPL");
        assertEquals(0, aapl.initialPrice().compareTo(new BigDecimal("190")));
        assertEquals(0, aapl.lotSize().compareTo(BigDecimal.ONE));
        assertEquals(0, aapl.tickSize().compareTo(new BigDecimal("0.01")));

        VenueProfile deep = config.profile("SIM_DEEP");
        VenueProfile fast = config.profile("SIM_FAST");
        VenueProfile cheap = config.profile("SIM_CHEAP");
        // a router should prefer DEEP for size, FAST for urgency, CHEAP for cost
        assertTrue(deep.depthLevels() * deep.levelSize().intValue() > 10 * fast.depthLevels() * fast.levelSize().intValue());
        assertTrue(fast.ackLatency().compareTo(deep.ackLatency()) < 0);
        assertTrue(deep.feeBps().compareTo(fast.feeBps()) > 0 && fast.feeBps().compareTo(cheap.feeBps()) > 0);
        assertTrue(cheap.spreadBps().compareTo(deep.spreadBps()) > 0);
        assertTrue(cheap.rejectRate() > 0 && cheap.partialFillProbability() > 0);
    }

    @Test
    void acceptorSessionsMatchTheGatewayInitiatorSessions() throws Exception {
        SimVenueConfig config = SimVenueConfig.load(SHIPPED);
        SessionSettings gateway = new SessionSettings("fix-config/gateway.cfg");
        List<String> gatewayVenues = new ArrayList<>();
        for (var it = gateway.sectionIterator(); it.hasNext(); ) {
            SessionID id = it.next();
            String venue = id.getTargetCompID();
            gatewayVenues.add(venue);
            assertEquals(config.port(venue), gateway.getInt(id, "SocketConnectPort"), venue);
            assertEquals("GATEWAY", id.getSenderCompID());
        }
        assertEquals(new TreeSet<>(config.venues()), new TreeSet<>(gatewayVenues));
        SessionSettings acceptor = config.sessionSettings();
        for (var it = acceptor.sectionIterator(); it.hasNext(); ) {
            SessionID id = it.next();
            assertEquals("GATEWAY", id.getTargetCompID());
            assertEquals("FIX.4.4", id.getBeginString());
            assertTrue(Files.exists(Path.of(acceptor.getString(id, "DataDictionary"))));
        }
    }

    @Test
    void withersReturnChangedCopies() {
        SimVenueConfig original = SimVenueConfig.load(SHIPPED);
        SimVenueConfig changed = original.withPort("SIM_FAST", 12345).withSeed(99).withTickInterval(Duration.ZERO)
                .withDataDir(tmp).withProfile("SIM_FAST", p -> p.withFeeBps(new BigDecimal("2")).withRejectRate(0.5));
        assertEquals(12345, changed.port("SIM_FAST"));
        assertEquals(9882, original.port("SIM_FAST"));
        assertEquals(99, changed.seed());
        assertEquals(Duration.ZERO, changed.tickInterval());
        assertEquals(tmp, changed.dataDir());
        assertEquals(0.5, changed.profile("SIM_FAST").rejectRate());
        assertEquals(0.0, original.profile("SIM_FAST").rejectRate());
        assertEquals(tmp.resolve("store").toString(), settingOf(changed, "FileStorePath"));
        assertThrows(IllegalArgumentException.class, () -> original.withPort("NOPE", 1));
        assertThrows(IllegalArgumentException.class, () -> original.withProfile("SIM_FAST", p -> p.withRejectRate(2)));
        assertThrows(IllegalArgumentException.class,
                () -> original.withProfile("SIM_FAST", p -> p.withSymbols(List.of("AAPL", "ZZZZ"))));
    }

    private static String settingOf(SimVenueConfig config, String key) {
        try {
            SessionSettings settings = config.sessionSettings();
            return settings.getString(settings.sectionIterator().next(), key);
        } catch (quickfix.ConfigError e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void defaultDataDirFollowsTraderDataDir() {
        assertEquals(Path.of("/var/trader/sim-venue"), SimVenueConfig.defaultDataDir(Map.of("TRADER_DATA_DIR", "/var/trader")));
        assertEquals(Path.of("data/sim-venue"), SimVenueConfig.defaultDataDir(Map.of()));
    }

    @Test
    void badSettingsFailWithOneLineNamingTheSetting() throws IOException {
        Path dir = copyShipped();
        String json = Files.readString(dir.resolve("venues.json"));
        Files.writeString(dir.resolve("venues.json"), json.replaceFirst("\"feeBps\": 0.8,", ""));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> SimVenueConfig.load(dir));
        assertTrue(missing.getMessage().contains("venues[0].feeBps is missing"), missing.getMessage());

        Files.writeString(dir.resolve("venues.json"), json.replaceFirst("\"feeBps\"", "\"feeBsp\""));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> SimVenueConfig.load(dir));
        assertTrue(typo.getMessage().contains("feeBsp"), typo.getMessage());

        Files.writeString(dir.resolve("venues.json"), json.replaceFirst("\"spreadBps\": 4", "\"spreadBps\": -4"));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> SimVenueConfig.load(dir));
        assertTrue(negative.getMessage().contains("spreadBps must be > 0"), negative.getMessage());

        Files.writeString(dir.resolve("venues.json"), json);
        Files.writeString(dir.resolve("acceptor.cfg"), Files.readString(dir.resolve("acceptor.cfg"))
                .replace("SenderCompID=SIM_CHEAP", "SenderCompID=SIM_OTHER"));
        IllegalArgumentException unmatched = assertThrows(IllegalArgumentException.class, () -> SimVenueConfig.load(dir));
        assertTrue(unmatched.getMessage().contains("SIM_CHEAP"), unmatched.getMessage());
        assertFalse(unmatched.getMessage().contains("\n"));
    }

    @Test
    void dayEndIsATimeOfDayInUtcDefaulting2100() throws IOException {
        assertEquals(LocalTime.of(21, 0), SimVenueConfig.load(SHIPPED).dayEndUtc());
        Path dir = copyShipped();
        String json = Files.readString(dir.resolve("venues.json"));
        Files.writeString(dir.resolve("venues.json"), json.replaceFirst("\"dayEndUtc\": \"21:00\"", "\"dayEndUtc\": \"16:30\""));
        assertEquals(LocalTime.of(16, 30), SimVenueConfig.load(dir).dayEndUtc());
        Files.writeString(dir.resolve("venues.json"), json.replaceFirst("\"dayEndUtc\": \"21:00\",", ""));
        assertEquals(SimVenueConfig.DEFAULT_DAY_END_UTC, SimVenueConfig.load(dir).dayEndUtc());
        Files.writeString(dir.resolve("venues.json"), json.replaceFirst("\"dayEndUtc\": \"21:00\"", "\"dayEndUtc\": \"9pm\""));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> SimVenueConfig.load(dir));
        assertTrue(bad.getMessage().contains("dayEndUtc") && bad.getMessage().contains("9pm"), bad.getMessage());
        assertEquals(LocalTime.of(9, 15), SimVenueConfig.load(SHIPPED).withDayEndUtc(LocalTime.of(9, 15)).dayEndUtc());
    }

    @Test
    void commandLineAndEnvironmentShapeTheStandaloneConfig() {
        SimVenueConfig config = SimVenueCommand.configure(new String[] {"--seed", "5", "--tick-ms", "0"},
                Map.of("TRADER_DATA_DIR", tmp.toString()));
        assertEquals(5, config.seed());
        assertEquals(Duration.ZERO, config.tickInterval());
        assertEquals(tmp.resolve("sim-venue"), config.dataDir());
        assertEquals(Duration.ofMillis(250), SimVenueCommand.configure(new String[0], Map.of()).tickInterval());
        assertThrows(IllegalArgumentException.class, () -> SimVenueCommand.configure(new String[] {"--bogus"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> SimVenueCommand.configure(new String[] {"--seed", "x"}, Map.of()));
    }

    private Path copyShipped() throws IOException {
        Path dir = tmp.resolve("sim-venue");
        Files.createDirectories(dir);
        for (String file : List.of("acceptor.cfg", "venues.json")) Files.copy(SHIPPED.resolve(file), dir.resolve(file));
        return dir;
    }
}
