package io.tradergateway.fix;

import org.awaitility.Awaitility;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import quickfix.field.Text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions an ops desk can run (issue 11 item 5), over real FIX sockets against a tiny in-test acceptor. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FixSessionOpsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private TinyVenue venue;
    private FixVenueGateway gateway;
    private final ListAppender<ILoggingEvent> ops = new ListAppender<>();

    @BeforeEach
    void capture() {
        ops.start();
        ((Logger) LoggerFactory.getLogger("io.tradergateway.ops")).addAppender(ops);
    }

    @AfterEach
    void stop() {
        if (gateway != null) gateway.close();
        if (venue != null) venue.close();
        ((Logger) LoggerFactory.getLogger("io.tradergateway.ops")).detachAppender(ops);
    }

    private List<String> opsLines(String part) {
        synchronized (ops) {
            return ops.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).filter(l -> l.contains(part)).toList();
        }
    }

    private FixVenueGateway gateway(String config) throws IOException {
        Path cfg = dir.resolve("gateway.cfg");
        Files.writeString(cfg, config);
        FixVenueGateway g = new FixVenueGateway(cfg, dir.resolve("store"), dir.resolve("log"), Map.of(), Clock.systemUTC(),
                Map.of("TG_USER", "u", "TG_PASS", "p")::get);
        g.start(new FixVenueSessionTest.RecordingSink());
        return g;
    }

    private static void await(BooleanSupplier condition) {
        Awaitility.await().pollInterval(Duration.ofMillis(20)).atMost(WAIT).until(condition::getAsBoolean);
    }

    private FixVenueGateway loggedOnGateway() throws Exception {
        int port = TinyVenue.freePort();
        venue = new TinyVenue(List.of(new TinyVenue.Venue("BROKER42", FixVersion.FIX42, port)));
        FixVenueGateway g = gateway(FixVenueSessionTest.defaults() + FixVenueSessionTest.broker42(port));
        await(() -> g.sessionStates().get("BROKER42") && venue.isLoggedOn("BROKER42"));
        return g;
    }

    @Test
    void aCleanStopSendsALogoutToEveryVenue() throws Exception {
        gateway = loggedOnGateway();

        long started = System.nanoTime();
        gateway.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        await(() -> !venue.logouts("BROKER42").isEmpty());
        assertThat(venue.logouts("BROKER42").get(0).getString(Text.FIELD)).isEqualTo("gateway stopping");
        assertThat(took).as("bounded by the logout wait").isLessThan(FixVenueGateway.LOGOUT_WAIT.plusSeconds(3));
        assertThat(opsLines("BROKER42 logged on")).singleElement().asString()
                .isEqualTo("INFO venue=BROKER42 FIX session FIX.4.2:GATEWAY->BROKER42 logged on (next MsgSeqNum out 2, in 2)");
        assertThat(opsLines("BROKER42 logged out")).containsExactly("WARN venue=BROKER42 FIX session FIX.4.2:GATEWAY->BROKER42 logged out (gateway stopping)");
        gateway = null;
    }

    @Test
    void anOperatorLogsASessionOutAndOnAgain() throws Exception {
        gateway = loggedOnGateway();

        assertThat(gateway.logout("BROKER42", "end of day").result()).isEqualTo(SessionControl.Result.DONE);
        await(() -> !venue.logouts("BROKER42").isEmpty() && !gateway.sessionStates().get("BROKER42"));
        assertThat(venue.logouts("BROKER42").get(0).getString(Text.FIELD)).isEqualTo("end of day");
        // Logged out by an operator: it stays out (no reconnect) until logged on again.
        Thread.sleep(2_500);
        assertThat(venue.isLoggedOn("BROKER42")).isFalse();
        assertThat(gateway.sessionStatus().get("BROKER42").lastProblem()).as("an operator's logout is no session problem").isNull();
        assertThat(opsLines("BROKER42 logged out")).containsExactly("WARN venue=BROKER42 FIX session FIX.4.2:GATEWAY->BROKER42 logged out by an operator");

        assertThat(gateway.logon("BROKER42").result()).isEqualTo(SessionControl.Result.DONE);
        await(() -> gateway.sessionStates().get("BROKER42") && venue.isLoggedOn("BROKER42"));

        assertThat(gateway.logon("NOPE").result()).isEqualTo(SessionControl.Result.UNKNOWN_VENUE);
    }

    @Test
    void nextSequenceNumbersAreSetOnlyWhileTheSessionIsLoggedOut() throws Exception {
        gateway = loggedOnGateway();

        SessionControl.Outcome refused = gateway.setNextSequenceNumbers("BROKER42", 100, 100);
        assertThat(refused.result()).isEqualTo(SessionControl.Result.CONFLICT);
        assertThat(refused.message()).contains("logged on");

        gateway.logout("BROKER42", "sequence reset agreed with the venue");
        await(() -> !gateway.sessionStates().get("BROKER42") && !venue.isLoggedOn("BROKER42"));
        int[] venueSeq = venue.sequenceNumbers("BROKER42");
        // The venue expects venueSeq[0] from us and sends venueSeq[1] next: set exactly those.
        // QuickFIX/J clears the session's own logged-on flags a moment after the disconnect: until then it is a 409 (which
        // changes nothing), so the operator's call is retried.
        await(() -> gateway.setNextSequenceNumbers("BROKER42", venueSeq[0] + 5, null).result() == SessionControl.Result.DONE);
        assertThat(gateway.sequenceNumbers("BROKER42")[0]).isEqualTo(venueSeq[0] + 5);

        gateway.logon("BROKER42");
        // Our Logon is 5 higher than the venue expects: the venue asks for a resend (gap-filled), then we are on.
        await(() -> gateway.sessionStates().get("BROKER42") && venue.isLoggedOn("BROKER42"));
        await(() -> venue.sequenceNumbers("BROKER42")[0] == gateway.sequenceNumbers("BROKER42")[0]);
        await(() -> !opsLines("RESEND").isEmpty());
        assertThat(opsLines("RESEND")).singleElement().asString().startsWith("WARN venue=BROKER42 FIX session RESEND: the venue asked for our messages again (FROM: ");

        assertThat(gateway.setNextSequenceNumbers("BROKER42", 0, null).result()).isEqualTo(SessionControl.Result.INVALID);
    }
}
