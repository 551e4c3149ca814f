package io.tradergateway.fix;

import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.VenueCapabilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SPEC 4.1 / 4.2 at start-up: which settings the gateway takes, and one line naming session and key when not. */
class FixVenueGatewayConfigTest {
    private static final String DEFAULTS = """
            [default]
            ConnectionType=initiator
            BeginString=FIX.4.4
            SenderCompID=GATEWAY
            SocketConnectHost=127.0.0.1
            StartTime=00:00:00
            EndTime=00:00:00
            UseDataDictionary=Y
            DataDictionary=dictionaries/FIX44.xml
            """;

    @TempDir
    Path dir;

    private FixVenueGateway open(String sessions) throws IOException {
        Path cfg = Files.writeString(dir.resolve("gateway.cfg"), DEFAULTS + sessions);
        return new FixVenueGateway(cfg, dir.resolve("store"), dir.resolve("log"), Map.of(), Clock.systemUTC(),
                Map.of("PW", "pw")::get);
    }

    @Test
    void anotherBeginStringStopsStartUpWithOneLineNamingIt() {
        assertThatThrownBy(() -> open("[session]\nBeginString=FIX.4.3\nTargetCompID=OLD\nSocketConnectPort=1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FIX session FIX.4.3:GATEWAY->OLD: BeginString=FIX.4.3 is not supported"
                        + " (FIX.4.2, FIX.4.4, or FIXT.1.1 with DefaultApplVerID=FIX.5.0SP2)");
    }

    @Test
    void fixtNeedsFix50sp2() {
        assertThatThrownBy(() -> open("[session]\nBeginString=FIXT.1.1\nDefaultApplVerID=FIX.5.0\nTargetCompID=V\nSocketConnectPort=1\n"))
                .hasMessage("FIX session FIXT.1.1:GATEWAY->V: BeginString=FIXT.1.1 needs DefaultApplVerID=FIX.5.0SP2 (or 9),"
                        + " not DefaultApplVerID=FIX.5.0");
        assertThatThrownBy(() -> open("[session]\nBeginString=FIXT.1.1\nTargetCompID=V\nSocketConnectPort=1\n"))
                .hasMessageEndingWith("not none");
    }

    @Test
    void aBadVenueKeyNamesTheSessionAndTheKey() {
        assertThatThrownBy(() -> open("[session]\nTargetCompID=V\nSocketConnectPort=1\nOrderTypes=LIMIT,STOP\n"))
                .hasMessageStartingWith("FIX session FIX.4.4:GATEWAY->V: OrderTypes=LIMIT,STOP: unknown value STOP");
        assertThatThrownBy(() -> open("[session]\nTargetCompID=V\nSocketConnectPort=1\nLogonPassword=${NOPE}\n"))
                .hasMessage("FIX session FIX.4.4:GATEWAY->V: LogonPassword=${NOPE}: environment variable NOPE is not set");
        assertThatThrownBy(() -> open("[session]\nTargetCompID=V\nSocketConnectPort=1\nLogMarketData=yes\n"))
                .hasMessage("FIX session FIX.4.4:GATEWAY->V: LogMarketData=yes must be Y or N");
    }

    @Test
    void capabilitiesComeFromEachSessionBlock() throws IOException {
        FixVenueGateway gateway = open("""
                [session]
                TargetCompID=SIM
                SocketConnectPort=1
                [session]
                BeginString=FIX.4.2
                TargetCompID=BROKER
                SocketConnectPort=2
                OrderTypes=LIMIT
                Instruments=IBM:100:0.01
                LogonPassword=${PW}
                [session]
                BeginString=FIXT.1.1
                DefaultApplVerID=9
                TargetCompID=MD
                SocketConnectPort=3
                RouteOrders=N
                """);

        Map<String, VenueCapabilities> caps = gateway.capabilities();
        assertThat(caps.keySet()).containsExactlyInAnyOrder("SIM", "BROKER", "MD");
        assertThat(caps.get("SIM")).isEqualTo(VenueCapabilities.defaults("SIM"));
        assertThat(caps.get("BROKER").fixVersion()).isEqualTo("FIX.4.2");
        assertThat(caps.get("BROKER").orderTypes()).containsExactly(OrderType.LIMIT);
        assertThat(caps.get("BROKER").securityListRequest()).isFalse();
        assertThat(caps.get("MD").fixVersion()).isEqualTo("FIX.5.0SP2");
        assertThat(caps.get("MD").routeOrders()).isFalse();
        assertThat(gateway.fixVersion("MD")).isEqualTo(FixVersion.FIX50SP2);
        assertThat(gateway.ready()).as("nothing logged on yet").isFalse();
        assertThat(gateway.sessionStatus().get("BROKER").sessionId()).isEqualTo("FIX.4.2:GATEWAY->BROKER");
    }

    @Test
    void theBundledDemoConfigurationIsTheSimulatedVenueDefaults() {
        FixVenueGateway gateway = new FixVenueGateway(Path.of("fix-config/gateway.cfg"), dir.resolve("store"), dir.resolve("log"),
                Map.of(), Clock.systemUTC(), name -> null);

        assertThat(gateway.capabilities().values()).allSatisfy(c -> assertThat(c)
                .isEqualTo(VenueCapabilities.defaults(c.venue())));
        assertThat(gateway.capabilities()).containsOnlyKeys("SIM_DEEP", "SIM_FAST", "SIM_CHEAP");
    }
}
