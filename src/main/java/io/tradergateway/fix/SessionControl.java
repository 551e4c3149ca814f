package io.tradergateway.fix;

/**
 * What an operator may do to a venue's FIX session ({@code POST /v1/venues/{venue}/logon|logout|sequence}, issue 11
 * item 5). Each call answers at once; the session acts on it within a second (QuickFIX/J's session timer).
 */
public interface SessionControl {

    enum Result {
        /** Done (or under way: the Logon or Logout goes out on the session timer). */
        DONE,
        /** No session for that venue. */
        UNKNOWN_VENUE,
        /** Not allowed in the session's current state (e.g. sequence numbers while logged on). */
        CONFLICT,
        /** A bad value (e.g. a sequence number below 1). */
        INVALID
    }

    /** A result and one line saying what happened or why not. */
    record Outcome(Result result, String message) {
    }

    /** Enables the session: the initiator connects and logs on (again), and reconnects from then on. */
    Outcome logon(String venue);

    /** Sends a Logout (35=5) with {@code reason} and keeps the session down (no reconnect) until {@link #logon}. */
    Outcome logout(String venue, String reason);

    /**
     * Sets the next MsgSeqNum the gateway sends ({@code nextSender}) and expects ({@code nextTarget}); null leaves one
     * as it is. Only while the session is logged out and no Logon is out ({@link Result#CONFLICT} otherwise); logged as
     * a WARN ops line with the old and new numbers.
     */
    Outcome setNextSequenceNumbers(String venue, Integer nextSender, Integer nextTarget);
}
