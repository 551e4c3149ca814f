package io.tradergateway.fix;

import quickfix.Log;
import quickfix.LogFactory;
import quickfix.SessionID;
import quickfix.SessionStateListener;

import java.util.regex.Pattern;

/**
 * Decorates QuickFIX/J's session logs: every event line is also shown to a {@link SessionWatch} (which turns session
 * trouble into one ops-log line), connection failures arrive as a {@link SessionStateListener} (QuickFIX/J registers a
 * log that is one), and Password (554) is masked in the message logs.
 */
final class WatchedLogFactory implements LogFactory {
    private static final Pattern PASSWORD = Pattern.compile("(^|\u0001)554=[^\u0001]*");

    private final LogFactory delegate;
    private final SessionWatch watch;

    WatchedLogFactory(LogFactory delegate, SessionWatch watch) {
        this.delegate = delegate;
        this.watch = watch;
    }

    @Override
    public Log create(SessionID sessionID) {
        return new WatchedLog(delegate.create(sessionID), sessionID.getTargetCompID(), watch);
    }

    /** The message with any Password (554) value replaced by {@code ****}. */
    static String masked(String message) {
        return message == null || !message.contains("554=") ? message : PASSWORD.matcher(message).replaceAll("$1554=****");
    }

    private static final class WatchedLog implements Log, SessionStateListener {
        private final Log log;
        private final String venue;
        private final SessionWatch watch;

        WatchedLog(Log log, String venue, SessionWatch watch) {
            this.log = log;
            this.venue = venue;
            this.watch = watch;
        }

        @Override
        public void clear() {
            log.clear();
        }

        @Override
        public void onIncoming(String message) {
            log.onIncoming(masked(message));
        }

        @Override
        public void onOutgoing(String message) {
            log.onOutgoing(masked(message));
        }

        @Override
        public void onEvent(String text) {
            log.onEvent(text);
            watch.onEvent(venue, text, false);
        }

        @Override
        public void onErrorEvent(String text) {
            log.onErrorEvent(text);
            watch.onEvent(venue, text, true);
        }

        @Override
        public void onConnectException(Exception exception) {
            watch.onConnectException(venue, exception);
        }
    }
}
