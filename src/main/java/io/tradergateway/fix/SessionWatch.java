package io.tradergateway.fix;

import io.tradergateway.fix.SessionStatus.Kind;
import io.tradergateway.fix.SessionStatus.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Session trouble made visible (issue 9 item 7): logon refused, MsgSeqNum too low or too high, connection refused,
 * logout with the venue's reason, a session that keeps cycling. Each problem is ONE line in the ops log (logger
 * {@code io.tradergateway.ops}, console and gateway.log) when it starts, not one per reconnect attempt, and is kept per
 * venue as its last problem. Fed by QuickFIX/J's event log ({@link WatchedLogFactory}) and by the session callbacks.
 */
final class SessionWatch {
    static final Logger OPS = LoggerFactory.getLogger("io.tradergateway.ops");
    /** This many logons within {@link #CYCLE_WINDOW} is a session that keeps cycling. */
    static final int CYCLE_LOGONS = 3;
    static final Duration CYCLE_WINDOW = Duration.ofMinutes(1);
    /** A disconnection this soon after a reported problem is its consequence, not a problem of its own. */
    static final Duration CONSEQUENCE_WINDOW = Duration.ofSeconds(2);

    private final Clock clock;
    private final Map<String, VenueState> venues = new HashMap<>();

    SessionWatch(Clock clock) {
        this.clock = clock;
    }

    private static final class VenueState {
        Problem last;
        /** Problems logged since the last logon: a repeat (the same kind and text) is not logged again until a logon. */
        final Set<String> logged = new HashSet<>();
        boolean failed;
        boolean loggedOn;
        boolean cyclingReported;
        final Deque<Instant> logons = new ArrayDeque<>();
    }

    private VenueState state(String venue) {
        return venues.computeIfAbsent(venue, v -> new VenueState());
    }

    synchronized Problem lastProblem(String venue) {
        return state(venue).last;
    }

    /** Logon refused or unanswered, or the connection refused, at least once since start. */
    synchronized boolean failed(String venue) {
        return state(venue).failed;
    }

    synchronized void onLogon(String venue) {
        VenueState s = state(venue);
        s.loggedOn = true;
        s.logged.clear();
        Instant now = clock.instant();
        s.logons.addLast(now);
        while (!s.logons.isEmpty() && s.logons.peekFirst().isBefore(now.minus(CYCLE_WINDOW))) s.logons.removeFirst();
        if (s.logons.size() < CYCLE_LOGONS) {
            s.cyclingReported = false;
        } else if (!s.cyclingReported) {
            s.cyclingReported = true;
            report(venue, s, Kind.CYCLING, "session keeps cycling: " + s.logons.size() + " logons within "
                    + CYCLE_WINDOW.toSeconds() + " s (last problem: " + (s.last == null ? "none" : s.last.text()) + ")");
        }
    }

    synchronized void onLogout(String venue) {
        state(venue).loggedOn = false;
    }

    /** The venue's Logout (35=5), with its Text; {@code answeringOurs} when it answers a Logout we sent. */
    synchronized void onLogoutReceived(String venue, String text, boolean answeringOurs) {
        if (answeringOurs) return;
        VenueState s = state(venue);
        String reason = text == null || text.isBlank() ? "no reason given" : text.trim();
        if (reason.contains("MsgSeqNum too low")) {
            s.failed |= !s.loggedOn;
            report(venue, s, Kind.SEQ_TOO_LOW, "venue logged us out, our MsgSeqNum is too low: " + reason
                    + " (the sequence numbers must be agreed with the venue)");
        } else if (!s.loggedOn) {
            s.failed = true;
            report(venue, s, Kind.LOGON_REFUSED, "logon refused by the venue: " + reason);
        } else {
            report(venue, s, Kind.LOGGED_OUT, "venue logged us out: " + reason);
        }
    }

    /** Our own Logout (35=5) with a Text: QuickFIX/J logs the venue out, e.g. when the venue's MsgSeqNum is too low. */
    synchronized void onLogoutSent(String venue, String text) {
        if (text == null || text.isBlank()) return;
        VenueState s = state(venue);
        if (text.contains("MsgSeqNum too low")) {
            report(venue, s, Kind.SEQ_TOO_LOW, "we logged the venue out, its MsgSeqNum is too low: " + text.trim());
        } else {
            report(venue, s, Kind.DISCONNECTED, "we logged the venue out: " + text.trim());
        }
    }

    synchronized void onConnectException(String venue, Exception e) {
        VenueState s = state(venue);
        s.failed = true;
        Throwable cause = e;
        while (cause.getCause() != null) cause = cause.getCause();
        report(venue, s, Kind.CONNECTION_FAILED, "cannot connect: " + cause);
    }

    /**
     * A line of QuickFIX/J's session event log (texts of QuickFIX/J 2.3: {@code MsgSeqNum too high, expecting 5 but
     * received 9}, {@code Disconnecting: <reason>}, {@code Logon rejected: ...}).
     */
    void onEvent(String venue, String text, boolean error) {
        if (text == null) return;
        String line = firstLine(text);
        // MsgSeqNum too low is seen on the Logout that says it, either way (onLogoutSent, onLogoutReceived).
        if (line.startsWith("MsgSeqNum too high")) {
            onProblem(venue, Kind.SEQ_TOO_HIGH, line + " (messages missed: ResendRequest sent)", false);
        } else if (line.startsWith("Logon rejected")) {
            onProblem(venue, Kind.LOGON_REFUSED, "we refused the venue's logon: " + line, true);
        } else if (line.startsWith("Received ResendRequest")) {
            // e.g. "Received ResendRequest FROM: 3 TO: 0" (0 = infinity): orders are gap-filled, never re-sent (toApp)
            OPS.warn("venue={} FIX session RESEND: the venue asked for our messages again ({})", venue,
                    line.substring("Received ResendRequest".length()).trim());
        } else if (line.startsWith("Disconnecting: ")) {
            onDisconnecting(venue, line.substring("Disconnecting: ".length()), error);
        }
    }

    private synchronized void onDisconnecting(String venue, String reason, boolean error) {
        VenueState s = state(venue);
        if (reason.startsWith("Logon rejected") || reason.contains("MsgSeqNum too low")) return; // reported already
        boolean consequence = s.last != null && !s.last.at().isBefore(clock.instant().minus(CONSEQUENCE_WINDOW));
        if (consequence && !s.loggedOn) {
            s.failed = true; // the disconnection that follows a problem just reported (e.g. our Logout saying why)
        } else if (reason.startsWith("Timed out waiting for logon response")) {
            s.failed = true;
            report(venue, s, Kind.LOGON_NOT_ANSWERED, "logon not answered: " + reason);
        } else if (!s.loggedOn && error) {
            s.failed = true;
            report(venue, s, Kind.LOGON_NOT_ANSWERED, "disconnected before the logon was answered: " + reason);
        } else if (error) {
            report(venue, s, Kind.DISCONNECTED, "disconnected: " + reason);
        }
    }

    private synchronized void onProblem(String venue, Kind kind, String text, boolean failed) {
        VenueState s = state(venue);
        s.failed |= failed;
        report(venue, s, kind, text);
    }

    private void report(String venue, VenueState s, Kind kind, String text) {
        s.last = new Problem(kind, text, clock.instant());
        if (!s.logged.add(kind + " " + text)) return;
        if (kind == Kind.SEQ_TOO_HIGH || kind == Kind.LOGGED_OUT || kind == Kind.DISCONNECTED) {
            OPS.warn("venue={} FIX session {}: {}", venue, kind, text);
        } else {
            OPS.error("venue={} FIX session {}: {}", venue, kind, text);
        }
    }

    /** Text from outside (an operator, a venue) on one log line: CR and LF shown as \\r and \\n, never forging a line. */
    static String oneLine(String text) {
        return text == null ? null : text.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).trim();
    }
}
