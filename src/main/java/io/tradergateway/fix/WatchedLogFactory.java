package io.tradergateway.fix;

import org.slf4j.MDC;
import quickfix.Log;
import quickfix.LogFactory;
import quickfix.SessionID;
import quickfix.SessionStateListener;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Decorates QuickFIX/J's session logs: every event line is also shown to a {@link SessionWatch} (which turns session
 * trouble into one ops-log line), connection failures arrive as a {@link SessionStateListener} (QuickFIX/J registers a
 * log that is one), and Password (554) is masked in the message logs. Heartbeats (35=0) never reach the message log,
 * market data (35=V/W/X/Y) only for a session with {@code LogMarketData=Y} (issue 11 item 6: logs that fit a disk).
 * Each line is logged with the venue in the MDC ({@link #MDC_SESSION}): Logback writes one file per session from it.
 */
final class WatchedLogFactory implements LogFactory {
    private static final Pattern PASSWORD = Pattern.compile("(^|\u0001)554=[^\u0001]*");
    /** The MDC key holding the venue of a FIX message or session event line (logback.xml sifts on it). */
    static final String MDC_SESSION = "fix_session";

    private final LogFactory delegate;
    private final SessionWatch watch;
    private final Predicate<String> logMarketData;

    /** @param logMarketData by venue: market data messages go to its message log too */
    WatchedLogFactory(LogFactory delegate, SessionWatch watch, Predicate<String> logMarketData) {
        this.delegate = delegate;
        this.watch = watch;
        this.logMarketData = logMarketData;
    }

    @Override
    public Log create(SessionID sessionID) {
        String venue = sessionID.getTargetCompID();
        return new WatchedLog(delegate.create(sessionID), venue, watch, logMarketData.test(venue));
    }

    /** The MsgType (35) of a raw FIX message, null when it has none; it follows BodyLength (9) near the start. */
    static String msgType(String message) {
        int at = message.indexOf("\u000135=");
        if (at < 0) return null;
        int start = at + 4;
        int end = message.indexOf('\u0001', start);
        return end < 0 ? message.substring(start) : message.substring(start, end);
    }

    /** Kept out of the message log: heartbeats always, market data unless the session asks for it. */
    static boolean skipped(String message, boolean logMarketData) {
        String type = msgType(message);
        if (type == null || type.length() != 1) return false;
        return switch (type.charAt(0)) {
            case '0' -> true;
            case 'V', 'W', 'X', 'Y' -> !logMarketData;
            default -> false;
        };
    }

    /** The message with any Password (554) value replaced by {@code ****}. */
    static String masked(String message) {
        return message == null || !message.contains("554=") ? message : PASSWORD.matcher(message).replaceAll("$1554=****");
    }

    private static final class WatchedLog implements Log, SessionStateListener {
        private final Log log;
        private final String venue;
        private final SessionWatch watch;
        private final boolean logMarketData;

        WatchedLog(Log log, String venue, SessionWatch watch, boolean logMarketData) {
            this.log = log;
            this.venue = venue;
            this.watch = watch;
            this.logMarketData = logMarketData;
        }

        @Override
        public void clear() {
            log.clear();
        }

        @Override
        public void onIncoming(String message) {
            if (skipped(message, logMarketData)) return;
            try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_SESSION, venue)) {
                log.onIncoming(masked(message));
            }
        }

        @Override
        public void onOutgoing(String message) {
            if (skipped(message, logMarketData)) return;
            try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_SESSION, venue)) {
                log.onOutgoing(masked(message));
            }
        }

        @Override
        public void onEvent(String text) {
            try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_SESSION, venue)) {
                log.onEvent(text);
            }
            watch.onEvent(venue, text, false);
        }

        @Override
        public void onErrorEvent(String text) {
            try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_SESSION, venue)) {
                log.onErrorEvent(text);
            }
            watch.onEvent(venue, text, true);
        }

        @Override
        public void onConnectException(Exception exception) {
            watch.onConnectException(venue, exception);
        }
    }
}
