package io.tradergateway.simvenue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.SessionID;
import quickfix.SessionSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Venue support restrictions, execIdStart and FIX versions in the settings; the optional sim-venue/extras. */
class SimVenueProfileConfigTest {
    private static final Path SHIPPED = Path.of("sim-venue");
    private static final Path EXTRAS = Path.of("sim-venue/extras");

    @TempDir
    Path tmp;

    @Test
    void shippedVenuesSupportEverythingOverFix44WithRunUniqueExecIds() {
        SimVenueConfig config = SimVenueConfig.load(SHIPPED);
        for (String venue : config.venues()) {
            assertEquals(VenueProfile.Support.FULL, config.profile(venue).support(), venue);
            assertNull(config.profile(venue).execIdStart(), venue);
            assertEquals("FIX.4.4", config.beginString(venue), venue);
        }
        assertEquals(Set.of('1', '2'), VenueProfile.Support.FULL.orderTypes());
        assertEquals(Set.of('0', '1', '3', '4', '6'), VenueProfile.Support.FULL.timeInForces());
        assertTrue(VenueProfile.Support.FULL.refusedMessageTypes().isEmpty());
    }

    @Test
    void extrasDefineALimitedVenueAFix42VenueAndAFixtVenueOnTheirOwnPorts() {
        SimVenueConfig extras = SimVenueConfig.load(EXTRAS);
        assertEquals(List.of("SIM_LIMITED", "SIM_FIX42", "SIM_FIXT"), List.copyOf(extras.venues()));
        VenueProfile.Support limited = extras.profile("SIM_LIMITED").support();
        assertEquals(Set.of('2'), limited.orderTypes());
        assertEquals(Set.of('0'), limited.timeInForces());
        assertEquals(Set.of("F", "G", "H", "V", "x"), limited.refusedMessageTypes());
        assertEquals("FIX.4.4", extras.beginString("SIM_LIMITED"));
        assertEquals("FIX.4.2", extras.beginString("SIM_FIX42"));
        assertEquals(1L, extras.profile("SIM_FIX42").execIdStart());
        assertEquals("FIXT.1.1", extras.beginString("SIM_FIXT"));
        assertEquals(List.of(9891, 9892, 9893), extras.venues().stream().map(extras::port).toList());

        // the shipped demo does not start them
        assertFalse(SimVenueConfig.load(SHIPPED).venues().contains("SIM_LIMITED"));
    }

    @Test
    void theStandaloneCommandRunsTheExtrasFromTheirDirectory() {
        SimVenueConfig config = SimVenueCommand.configure(new String[] {"--config-dir", EXTRAS.toString(), "--tick-ms", "0"},
                Map.of("TRADER_DATA_DIR", tmp.toString()));
        assertEquals(List.of("SIM_LIMITED", "SIM_FIX42", "SIM_FIXT"), List.copyOf(config.venues()));
        assertEquals("FIX.4.2", config.beginString("SIM_FIX42"));
    }

    @Test
    void sessionSettingsCarryEachVenuesVersionAndItsDictionaries() throws Exception {
        SimVenueConfig config = SimVenueConfig.load(SHIPPED).withVenuesOf(SimVenueConfig.load(EXTRAS)).withDataDir(tmp);
        SessionSettings settings = config.sessionSettings();
        Map<String, SessionID> ids = new HashMap<>();
        settings.sectionIterator().forEachRemaining(id -> ids.put(id.getSenderCompID(), id));
        assertEquals(Set.of("SIM_DEEP", "SIM_FAST", "SIM_CHEAP", "SIM_LIMITED", "SIM_FIX42", "SIM_FIXT"), ids.keySet());
        assertEquals("FIX.4.2", ids.get("SIM_FIX42").getBeginString());
        assertTrue(settings.getString(ids.get("SIM_FIX42"), "DataDictionary").endsWith("FIX42.xml"));
        assertTrue(settings.getString(ids.get("SIM_DEEP"), "DataDictionary").endsWith("FIX44.xml"));
        SessionID fixt = ids.get("SIM_FIXT");
        assertEquals("FIXT.1.1", fixt.getBeginString());
        assertEquals("FIX.5.0SP2", settings.getString(fixt, "DefaultApplVerID"));
        assertTrue(Files.exists(Path.of(settings.getString(fixt, "TransportDataDictionary"))));
        assertTrue(settings.getString(fixt, "AppDataDictionary").endsWith("FIX50SP2.xml"));
        assertEquals(9892, settings.getLong(ids.get("SIM_FIX42"), "SocketAcceptPort"));
        assertEquals(tmp.resolve("store").toString(), settings.getString(fixt, "FileStorePath"));
    }

    @Test
    void withersAddRemoveAndReversionVenues() {
        SimVenueConfig shipped = SimVenueConfig.load(SHIPPED);
        SimVenueConfig config = shipped.withOnlyVenues("SIM_FAST")
                .withVenue(shipped.profile("SIM_DEEP").renamed("SIM_BROKER").limited().withExecIdStart(1L), "FIX.4.2", 20001)
                .withBeginString("SIM_FAST", "FIXT.1.1")
                .withFreePorts();
        assertEquals(List.of("SIM_FAST", "SIM_BROKER"), List.copyOf(config.venues()));
        assertEquals("FIXT.1.1", config.beginString("SIM_FAST"));
        assertEquals("FIX.4.2", config.beginString("SIM_BROKER"));
        assertTrue(config.profile("SIM_BROKER").support().refuses("F"));
        assertFalse(config.profile("SIM_BROKER").support().acceptsOrderType('1'));
        assertNotEquals(20001, config.port("SIM_BROKER"));
        assertEquals("FIX.4.4", shipped.beginString("SIM_FAST"), "the original is unchanged");

        IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
                () -> shipped.withBeginString("SIM_FAST", "FIX.4.3"));
        assertTrue(version.getMessage().contains("FIX.4.3"), version.getMessage());
        assertThrows(IllegalArgumentException.class, () -> shipped.withOnlyVenues("NOPE"));
        assertThrows(IllegalArgumentException.class, () -> shipped.profile("SIM_FAST").withOrderTypes("STOP"));
        assertThrows(IllegalArgumentException.class, () -> shipped.profile("SIM_FAST").withRefusedMessageTypes("D"));
        assertThrows(IllegalArgumentException.class, () -> shipped.profile("SIM_FAST").withTimeInForces());
    }

    @Test
    void badSupportSettingsFailWithOneLineNamingTheSetting() throws IOException {
        Path dir = copy(EXTRAS);
        String json = Files.readString(dir.resolve("venues.json"));
        Files.writeString(dir.resolve("venues.json"), json.replace("\"orderTypes\": [\"LIMIT\"]", "\"orderTypes\": [\"STOP\"]"));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> SimVenueConfig.load(dir));
        assertTrue(type.getMessage().contains("venues[0]") && type.getMessage().contains("orderTypes: unknown value STOP"),
                type.getMessage());

        Files.writeString(dir.resolve("venues.json"), json.replace("\"timeInForces\": [\"DAY\"]", "\"timeInForces\": []"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> SimVenueConfig.load(dir));
        assertTrue(none.getMessage().contains("timeInForces"), none.getMessage());

        Files.writeString(dir.resolve("venues.json"), json.replace("\"refusedMessageTypes\": [\"F\"", "\"refusedMessageTypes\": [\"D\""));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SimVenueConfig.load(dir));
        assertTrue(refused.getMessage().contains("refusedMessageTypes: D cannot be refused"), refused.getMessage());

        Files.writeString(dir.resolve("venues.json"), json.replace("\"execIdStart\": 1", "\"execIdStart\": -1"));
        IllegalArgumentException start = assertThrows(IllegalArgumentException.class, () -> SimVenueConfig.load(dir));
        assertTrue(start.getMessage().contains("execIdStart must be >= 0"), start.getMessage());

        Files.writeString(dir.resolve("venues.json"), json);
        Files.writeString(dir.resolve("acceptor.cfg"), Files.readString(dir.resolve("acceptor.cfg"))
                .replace("BeginString=FIX.4.2", "BeginString=FIX.4.1"));
        IllegalArgumentException begin = assertThrows(IllegalArgumentException.class, () -> SimVenueConfig.load(dir));
        assertTrue(begin.getMessage().contains("BeginString FIX.4.1 is not supported"), begin.getMessage());
        assertFalse(begin.getMessage().contains("\n"));
    }

    private Path copy(Path from) throws IOException {
        Path dir = tmp.resolve("extras");
        Files.createDirectories(dir);
        for (String file : List.of("acceptor.cfg", "venues.json")) Files.copy(from.resolve(file), dir.resolve(file));
        return dir;
    }
}
