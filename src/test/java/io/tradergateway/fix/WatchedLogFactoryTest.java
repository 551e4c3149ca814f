package io.tradergateway.fix;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import quickfix.Log;
import quickfix.LogFactory;
import quickfix.SessionID;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** FIX message logs that fit a disk (issue 11 item 6): no market data or heartbeats unless asked, passwords masked. */
class WatchedLogFactoryTest {
    private static final String D = "8=FIX.4.4\u00019=50\u000135=D\u000134=7\u000111=GW-1\u000110=000\u0001";
    private static final String W = "8=FIX.4.4\u00019=50\u000135=W\u000134=8\u000155=AAPL\u000110=000\u0001";
    private static final String X = "8=FIX.4.4\u00019=50\u000135=X\u000134=9\u000110=000\u0001";
    private static final String V = "8=FIX.4.4\u00019=50\u000135=V\u000134=9\u0001262=MD-1\u000110=000\u0001";
    private static final String Y = "8=FIX.4.4\u00019=50\u000135=Y\u000134=9\u0001262=MD-1\u000110=000\u0001";
    private static final String HEARTBEAT = "8=FIX.4.4\u00019=50\u000135=0\u000134=10\u000110=000\u0001";
    private static final String LOGON = "8=FIX.4.4\u00019=50\u000135=A\u000134=1\u0001554=pw\u000110=000\u0001";

    private final Recording delegate = new Recording();
    private final SessionWatch watch = new SessionWatch(Clock.systemUTC());

    private Log log(boolean marketData) {
        return new WatchedLogFactory(delegate, watch, venue -> marketData).create(new SessionID("FIX.4.4", "GATEWAY", "V1"));
    }

    @Test
    void marketDataAndHeartbeatsStayOutOfTheMessageLogByDefault() {
        Log log = log(false);
        for (String m : List.of(D, W, X, V, Y, HEARTBEAT, LOGON)) {
            log.onIncoming(m);
            log.onOutgoing(m);
        }
        assertThat(delegate.lines).containsExactly("in " + D, "out " + D,
                "in " + LOGON.replace("554=pw", "554=****"), "out " + LOGON.replace("554=pw", "554=****"));
    }

    @Test
    void marketDataIsLoggedWhenTheSessionAsksForIt() {
        Log log = log(true);
        log.onIncoming(W);
        log.onOutgoing(V);
        log.onIncoming(HEARTBEAT);
        assertThat(delegate.lines).containsExactly("in " + W, "out " + V);
    }

    @Test
    void eventsStillReachTheWatchAndEveryLineCarriesTheVenue() {
        Log log = log(false);
        log.onEvent("MsgSeqNum too high, expecting 5 but received 9");
        log.onIncoming(D);
        assertThat(watch.lastProblem("V1").kind()).isEqualTo(SessionStatus.Kind.SEQ_TOO_HIGH);
        assertThat(delegate.lines).containsExactly("event MsgSeqNum too high, expecting 5 but received 9 [V1]", "in " + D);
        assertThat(delegate.venues).containsOnly("V1");
        assertThat(MDC.get(WatchedLogFactory.MDC_SESSION)).as("removed after each line").isNull();
    }

    /** A message log that records what reaches it, and the MDC venue it was logged under. */
    private static final class Recording implements LogFactory {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> venues = new CopyOnWriteArrayList<>();

        @Override
        public Log create(SessionID sessionID) {
            return new Log() {
                @Override
                public void clear() {
                }

                @Override
                public void onIncoming(String message) {
                    add("in " + message);
                }

                @Override
                public void onOutgoing(String message) {
                    add("out " + message);
                }

                @Override
                public void onEvent(String text) {
                    add("event " + text + " [" + MDC.get(WatchedLogFactory.MDC_SESSION) + "]");
                }

                @Override
                public void onErrorEvent(String text) {
                    add("error " + text);
                }

                private void add(String line) {
                    lines.add(line);
                    venues.add(MDC.get(WatchedLogFactory.MDC_SESSION));
                }
            };
        }
    }
}
