package io.tradergateway.fix;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.OrderCommand;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.TimeInForce;
import io.tradergateway.execution.VenueCancelReject;
import io.tradergateway.execution.VenueEventSink;
import io.tradergateway.execution.VenueExecutionReport;
import io.tradergateway.market.MarketDataEvent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Message;
import quickfix.field.MsgType;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's FIX sessions against a tiny in-test acceptor (SPEC 4.1, 4.2): a FIX.4.2 broker and a FIXT.1.1 /
 * FIX.5.0SP2 broker get orders in their version with the configured OrderFields, a Logon with Username/Password from
 * the environment, refused status requests reach the engine, and session trouble shows as the venue's last problem.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FixVenueSessionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Map<String, String> ENV = Map.of("TG_USER", "trader7", "TG_PASS", "s3cret!");

    @TempDir
    Path dir;
    private TinyVenue venue;
    private FixVenueGateway gateway;
    private final RecordingSink sink = new RecordingSink();
    private final FixLogCapture fixLog = new FixLogCapture();

    @AfterEach
    void stop() {
        if (gateway != null) gateway.close();
        if (venue != null) venue.close();
        fixLog.close();
    }

    private FixVenueGateway gateway(String config) throws IOException {
        Path cfg = dir.resolve("gateway.cfg");
        Files.writeString(cfg, config);
        FixVenueGateway g = new FixVenueGateway(cfg, dir.resolve("store"), dir.resolve("log"), Map.of(), Clock.systemUTC(), ENV::get);
        g.start(sink);
        return g;
    }

    static String defaults() {
        return """
                [default]
                ConnectionType=initiator
                BeginString=FIX.4.4
                SenderCompID=GATEWAY
                SocketConnectHost=127.0.0.1
                HeartBtInt=30
                ReconnectInterval=1
                StartTime=00:00:00
                EndTime=00:00:00
                NonStopSession=Y
                UseDataDictionary=Y
                DataDictionary=dictionaries/FIX44.xml
                ValidateUserDefinedFields=N
                CheckLatency=N
                """;
    }

    static String broker42(int port) {
        return """
                [session]
                BeginString=FIX.4.2
                TargetCompID=BROKER42
                SocketConnectPort=%d
                LogonUsername=${TG_USER}
                LogonPassword=${TG_PASS}
                OrderFields=1=ACC-7;100=XNAS
                OrderTypes=LIMIT
                TimeInForce=DAY
                SecurityListRequest=N
                MarketDataRequest=N
                Instruments=IBM:100
                """.formatted(port);
    }

    static String broker50(int port) {
        return """
                [session]
                BeginString=FIXT.1.1
                DefaultApplVerID=FIX.5.0SP2
                TargetCompID=BROKER50
                SocketConnectPort=%d
                LogonUsername=${TG_USER}
                LogonPassword=${TG_PASS}
                OrderFields=1=ACC-9;21=2
                Instruments=MSFT
                """.formatted(port);
    }

    private static OrderCommand.NewOrder order(String venue, String clOrdId, String symbol) {
        return new OrderCommand.NewOrder(venue, new ClOrdId(clOrdId), symbol, Side.BUY, OrderType.LIMIT, new BigDecimal("100"),
                new BigDecimal("141.25"), TimeInForce.DAY, null, Instant.now());
    }

    private static void await(BooleanSupplier condition) {
        Awaitility.await().pollInterval(Duration.ofMillis(20)).atMost(WAIT).until(condition::getAsBoolean);
    }

    @Test
    void fix42AndFix50sp2BrokersGetOrdersInTheirVersionWithOrderFieldsAndCredentials() throws Exception {
        int p42 = TinyVenue.freePort();
        int p50 = TinyVenue.freePort();
        venue = new TinyVenue(List.of(new TinyVenue.Venue("BROKER42", FixVersion.FIX42, p42),
                new TinyVenue.Venue("BROKER50", FixVersion.FIX50SP2, p50)));
        gateway = gateway(defaults() + broker42(p42) + broker50(p50));

        await(() -> gateway.sessionStates().values().stream().allMatch(Boolean::booleanValue));
        await(gateway::ready);

        assertThat(gateway.fixVersion("BROKER42")).isEqualTo(FixVersion.FIX42);
        assertThat(gateway.capabilities().get("BROKER50").fixVersion()).isEqualTo("FIX.5.0SP2");
        for (String v : List.of("BROKER42", "BROKER50")) {
            Message logon = venue.logons(v).get(0);
            assertThat(logon.getString(553)).isEqualTo("trader7");
            assertThat(logon.getString(554)).isEqualTo("s3cret!");
        }
        // SecurityListRequest=N: configured instruments at logon, no 35=x; BROKER50 refuses its 35=x: configured stand.
        await(() -> sink.instruments.contains("BROKER42=[IBM]") && sink.instruments.contains("BROKER50=[MSFT]"));
        assertThat(venue.received("BROKER42", MsgType.SECURITY_LIST_REQUEST)).isEmpty();
        assertThat(venue.received("BROKER50", MsgType.SECURITY_LIST_REQUEST)).hasSize(1);
        assertThat(gateway.sessionStatus().get("BROKER50").instrumentsKnown()).isTrue();

        assertThat(gateway.send(order("BROKER42", "GW-42-1", "IBM"))).isTrue();
        assertThat(gateway.send(order("BROKER50", "GW-50-1", "MSFT"))).isTrue();
        await(() -> venue.received("BROKER42", MsgType.ORDER_SINGLE).size() == 1
                && venue.received("BROKER50", MsgType.ORDER_SINGLE).size() == 1);

        Message d42 = venue.received("BROKER42", MsgType.ORDER_SINGLE).get(0);
        assertThat(d42.getHeader().getString(8)).isEqualTo("FIX.4.2");
        assertThat(d42.getString(11)).isEqualTo("GW-42-1");
        assertThat(d42.getString(1)).isEqualTo("ACC-7");
        assertThat(d42.getString(100)).isEqualTo("XNAS");
        assertThat(d42.getString(21)).isEqualTo("1");
        Message d50 = venue.received("BROKER50", MsgType.ORDER_SINGLE).get(0);
        assertThat(d50.getHeader().getString(8)).isEqualTo("FIXT.1.1");
        assertThat(d50.getString(1)).isEqualTo("ACC-9");
        assertThat(d50.getString(21)).isEqualTo("2");
        assertThat(d50.getString(44)).isEqualTo("141.25");

        // Orders leave on the adapter's own thread; one whose message cannot be built (no quantity here) never leaves and
        // comes back to the engine as not sent.
        assertThat(venue.received("BROKER42", MsgType.ORDER_SINGLE)).singleElement();
        assertThat(gateway.send(new OrderCommand.NewOrder("BROKER42", new ClOrdId("GW-42-2"), "IBM", Side.BUY, OrderType.LIMIT,
                null, new BigDecimal("141.25"), TimeInForce.DAY, null, Instant.now()))).isTrue();
        await(() -> !sink.notSent.isEmpty());
        assertThat(sink.notSent).singleElement().asString().startsWith("BROKER42 GW-42-2 not sent to BROKER42");
        assertThat(gateway.send(order("BROKER42", "GW-42-3", "IBM"))).isTrue();
        await(() -> venue.received("BROKER42", MsgType.ORDER_SINGLE).size() == 2);
        assertThat(venue.received("BROKER42", MsgType.ORDER_SINGLE).get(1).getString(11)).isEqualTo("GW-42-3");

        // MarketDataRequest=N: never a 35=V to BROKER42.
        assertThat(gateway.send(new OrderCommand.SubscribeMarketData("BROKER42", "MD-1", List.of("IBM")))).isFalse();

        // A 35=j naming our 35=H reaches the engine as a refused status request.
        assertThat(gateway.send(new OrderCommand.StatusRequest("BROKER42", new ClOrdId("GW-42-1"), "IBM", Side.BUY))).isTrue();
        await(() -> !sink.statusRefused.isEmpty());
        assertThat(sink.statusRefused.get(0)).startsWith("BROKER42 GW-42-1 BusinessMessageReject (35=j, reason 3)")
                .endsWith("we do not take 35=H");
        assertThat(venue.received("BROKER42", MsgType.MARKET_DATA_REQUEST)).isEmpty();

        // The password never reaches the gateway's message logs nor its message store.
        String logged = String.join("\n", fixLog.lines());
        assertThat(logged).contains("554=****").doesNotContain("s3cret!");
        try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
            String text = String.join("\n", files.filter(Files::isRegularFile).map(FixVenueSessionTest::read).toList());
            assertThat(text).contains("554=****").doesNotContain("s3cret!");
        }
        // Each message logged once, through SLF4J, with its venue (one file per session in logback.xml); no FileLog.
        assertThat(fixLog.lines().stream().filter(l -> l.contains("\u000111=GW-42-1\u0001") && l.contains("\u000135=D\u0001")))
                .singleElement().asString().startsWith("quickfixj.msg.outgoing [BROKER42] ");
        assertThat(dir.resolve("log")).doesNotExist();
        assertThat(gateway.sessionStatus().get("BROKER42").lastProblem()).isNull();
    }

    @Test
    void aRefusedLogonIsTheVenuesLastProblemAndCountsAsFailedForReadiness() throws Exception {
        int p42 = TinyVenue.freePort();
        venue = new TinyVenue(List.of(new TinyVenue.Venue("BROKER42", FixVersion.FIX42, p42)));
        venue.refuseLogons("BROKER42");
        gateway = gateway(defaults() + broker42(p42));

        await(() -> gateway.sessionStatus().get("BROKER42").lastProblem() != null);
        SessionStatus status = gateway.sessionStatus().get("BROKER42");
        assertThat(status.lastProblem().kind()).isEqualTo(SessionStatus.Kind.LOGON_REFUSED);
        assertThat(status.lastProblem().text()).isEqualTo("logon refused by the venue: invalid password");
        assertThat(status.failed()).isTrue();
        assertThat(status.loggedOn()).isFalse();
        assertThat(gateway.ready()).isTrue();
    }

    @Test
    void ourMsgSeqNumTooLowIsTheVenuesLastProblem() throws Exception {
        int p50 = TinyVenue.freePort();
        venue = new TinyVenue(List.of(new TinyVenue.Venue("BROKER50", FixVersion.FIX50SP2, p50)));
        venue.expectNextFromGateway("BROKER50", 50);
        gateway = gateway(defaults() + broker50(p50));

        await(() -> gateway.sessionStatus().get("BROKER50").lastProblem() != null);
        SessionStatus.Problem problem = gateway.sessionStatus().get("BROKER50").lastProblem();
        assertThat(problem.kind()).isEqualTo(SessionStatus.Kind.SEQ_TOO_LOW);
        assertThat(problem.text()).startsWith("venue logged us out, our MsgSeqNum is too low: MsgSeqNum too low, expecting 50");
        assertThat(gateway.ready()).isTrue();
    }

    @Test
    void aRefusedConnectionIsTheVenuesLastProblem() throws Exception {
        int nobody = TinyVenue.freePort();
        gateway = gateway(defaults() + broker42(nobody));

        await(() -> gateway.sessionStatus().get("BROKER42").lastProblem() != null);
        SessionStatus.Problem problem = gateway.sessionStatus().get("BROKER42").lastProblem();
        assertThat(problem.kind()).isEqualTo(SessionStatus.Kind.CONNECTION_FAILED);
        assertThat(problem.text()).startsWith("cannot connect: java.net.ConnectException");
        assertThat(gateway.ready()).isTrue();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1); // the store has binary index files
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records what the gateway tells the engine. */
    static final class RecordingSink implements VenueEventSink {
        final List<String> instruments = new CopyOnWriteArrayList<>();
        final List<String> statusRefused = new CopyOnWriteArrayList<>();
        final List<String> notSent = new CopyOnWriteArrayList<>();
        final List<VenueExecutionReport> reports = new CopyOnWriteArrayList<>();

        @Override
        public void onSessionState(String venue, boolean loggedOn) {
        }

        @Override
        public void onInstruments(String venue, List<Instrument> list) {
            instruments.add(venue + "=" + list.stream().map(Instrument::symbol).toList());
        }

        @Override
        public void onExecutionReport(VenueExecutionReport report) {
            reports.add(report);
        }

        @Override
        public void onCancelReject(VenueCancelReject reject) {
        }

        @Override
        public void onMarketData(MarketDataEvent event) {
        }

        @Override
        public void onMarketDataReject(String venue, String symbol, String reason) {
        }

        @Override
        public void onStatusRequestRefused(String venue, ClOrdId clOrdId, String reason) {
            statusRefused.add(venue + " " + clOrdId + " " + reason);
        }

        @Override
        public void onOrderNotSent(String venue, ClOrdId clOrdId, String reason) {
            notSent.add(venue + " " + clOrdId + " " + reason);
        }
    }
}
