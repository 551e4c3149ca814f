package io.tradergateway.fix;

import io.tradergateway.execution.VenueCapabilities;

import java.time.Instant;

/**
 * One venue session as operators see it ({@code GET /v1/venues}, {@code /health}): logged on or not, its effective
 * capabilities, whether its instruments are known, and the last session problem seen since start.
 *
 * @param venue           the venue (TargetCompID)
 * @param sessionId       the QuickFIX/J session, e.g. {@code FIX.4.2:GATEWAY->BROKER}
 * @param loggedOn        logged on now
 * @param instrumentsKnown the SecurityList was answered or refused, or is not asked for
 * @param failed          the logon was refused (or not answered) or the connection refused at least once since start
 * @param capabilities    the effective venue settings (SPEC 4.2)
 * @param lastProblem     the last session problem, null when none since start
 */
public record SessionStatus(String venue, String sessionId, boolean loggedOn, boolean instrumentsKnown, boolean failed,
                            VenueCapabilities capabilities, Problem lastProblem) {

    /** A session problem: what kind, the one line logged for it, and when. */
    public record Problem(Kind kind, String text, Instant at) {
    }

    /** The kinds of session trouble told apart (issue 9 item 7). */
    public enum Kind {
        /** The venue answered our Logon with a Logout, or we refused its Logon. */
        LOGON_REFUSED,
        /** The Logon went unanswered or the connection closed before the venue answered it. */
        LOGON_NOT_ANSWERED,
        /** A MsgSeqNum lower than expected, ours as the venue says or the venue's as we see it. */
        SEQ_TOO_LOW,
        /** A MsgSeqNum higher than expected: messages were missed and are asked for again (ResendRequest). */
        SEQ_TOO_HIGH,
        /** The TCP connection could not be made (refused, unreachable, timed out). */
        CONNECTION_FAILED,
        /** The venue logged us out, with its reason. */
        LOGGED_OUT,
        /** The session dropped (heartbeat timeout, socket error, invalid message). */
        DISCONNECTED,
        /** The session keeps logging on and dropping. */
        CYCLING
    }
}
