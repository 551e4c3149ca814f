package io.tradergateway.fix;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tradergateway.fix.SessionStatus.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Session trouble (issue 9 item 7) as QuickFIX/J 2.3 reports it: one ops-log line per problem, the last one kept. */
class SessionWatchTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final SessionWatch watch = new SessionWatch(clock);
    private final ListAppender<ILoggingEvent> ops = new ListAppender<>();

    @BeforeEach
    void capture() {
        ops.start();
        ((Logger) LoggerFactory.getLogger("io.tradergateway.ops")).addAppender(ops);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger("io.tradergateway.ops")).detachAppender(ops);
    }

    private List<String> lines() {
        return ops.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void aConnectionRefusedOnEveryRetryIsOneLineUntilALogon() {
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(2));
            watch.onConnectException("V", new ConnectException("Connection refused"));
        }

        assertThat(lines()).containsExactly("ERROR venue=V FIX session CONNECTION_FAILED: cannot connect: "
                + "java.net.ConnectException: Connection refused");
        assertThat(watch.lastProblem("V").kind()).isEqualTo(Kind.CONNECTION_FAILED);
        assertThat(watch.lastProblem("V").at()).isEqualTo(Instant.parse("2026-11-25T10:00:10Z"));
        assertThat(watch.failed("V")).isTrue();

        watch.onLogon("V");
        watch.onLogout("V");
        watch.onConnectException("V", new ConnectException("Connection refused"));
        assertThat(lines()).hasSize(2);
    }

    @Test
    void aLogoutWithItsReasonWhileLoggedOnIsAWarning() {
        watch.onLogon("V");
        watch.onLogoutReceived("V", "end of day", false);

        assertThat(lines()).containsExactly("WARN venue=V FIX session LOGGED_OUT: venue logged us out: end of day");
        assertThat(watch.failed("V")).isFalse();
    }

    @Test
    void theAnswerToOurOwnLogoutIsNoProblem() {
        watch.onLogon("V");
        watch.onLogoutReceived("V", null, true);

        assertThat(lines()).isEmpty();
        assertThat(watch.lastProblem("V")).isNull();
    }

    @Test
    void aResendRequestFromTheVenueIsOneLine() {
        watch.onLogon("V");
        watch.onEvent("V", "Received ResendRequest FROM: 3 TO: 0", false);

        assertThat(lines()).containsExactly("WARN venue=V FIX session RESEND: the venue asked for our messages again (FROM: 3 TO: 0)");
        assertThat(watch.lastProblem("V")).as("a resend is no problem of its own").isNull();
    }

    @Test
    void msgSeqNumTooHighFromTheEventLog() {
        watch.onLogon("V");
        watch.onEvent("V", "MsgSeqNum too high, expecting 12 but received 15", false);

        assertThat(watch.lastProblem("V").kind()).isEqualTo(Kind.SEQ_TOO_HIGH);
        assertThat(lines()).containsExactly("WARN venue=V FIX session SEQ_TOO_HIGH: MsgSeqNum too high, expecting 12 but "
                + "received 15 (messages missed: ResendRequest sent)");
    }

    @Test
    void theVenuesMsgSeqNumTooLowIsOurLogoutSayingSo() {
        watch.onLogon("V");
        watch.onLogoutSent("V", "MsgSeqNum too low, expecting 20 but received 3");
        watch.onEvent("V", "Disconnecting: quickfix.SessionException: MsgSeqNum too low, expecting 20 but received 3", true);

        assertThat(lines()).containsExactly("ERROR venue=V FIX session SEQ_TOO_LOW: we logged the venue out, its MsgSeqNum "
                + "is too low: MsgSeqNum too low, expecting 20 but received 3");
    }

    @Test
    void anUnansweredLogonFailsTheVenueForReadiness() {
        watch.onEvent("V", "Disconnecting: Timed out waiting for logon response", true);

        assertThat(watch.lastProblem("V").kind()).isEqualTo(Kind.LOGON_NOT_ANSWERED);
        assertThat(watch.failed("V")).isTrue();
    }

    @Test
    void aHeartbeatTimeoutAfterLogonIsADisconnection() {
        watch.onLogon("V");
        clock.advance(Duration.ofSeconds(30));
        watch.onEvent("V", "Disconnecting: Timed out waiting for heartbeat", true);

        assertThat(watch.lastProblem("V").kind()).isEqualTo(Kind.DISCONNECTED);
        assertThat(watch.failed("V")).isFalse();
    }

    @Test
    void threeLogonsWithinAMinuteIsASessionThatKeepsCycling() {
        watch.onLogon("V");
        clock.advance(Duration.ofSeconds(20));
        watch.onLogon("V");
        assertThat(watch.lastProblem("V")).isNull();
        clock.advance(Duration.ofSeconds(20));
        watch.onLogoutReceived("V", "duplicate session", false);
        watch.onLogon("V");

        assertThat(watch.lastProblem("V").kind()).isEqualTo(Kind.CYCLING);
        assertThat(lines()).last().isEqualTo("ERROR venue=V FIX session CYCLING: session keeps cycling: 3 logons within 60 s"
                + " (last problem: venue logged us out: duplicate session)");

        clock.advance(Duration.ofSeconds(5));
        watch.onLogon("V");
        assertThat(lines()).as("one line per cycling episode").hasSize(2);
        clock.advance(Duration.ofMinutes(5));
        watch.onLogon("V");
        assertThat(lines()).hasSize(2);
    }

    @Test
    void passwordsAreMaskedInMessageLogs() {
        assertThat(WatchedLogFactory.masked("8=FIX.4.2\u000135=A\u0001553=u\u0001554=s3cret\u000110=1\u0001"))
                .isEqualTo("8=FIX.4.2\u000135=A\u0001553=u\u0001554=****\u000110=1\u0001");
        assertThat(WatchedLogFactory.masked("8=FIX.4.4\u000135=D\u00011554=7\u0001")).contains("1554=7");
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
