package io.tradergateway.app;

import java.util.LinkedHashSet;
import java.util.Set;

/** Turns a start-up failure into the one line printed instead of a stack trace. */
final class StartupErrors {
    private StartupErrors() {
    }

    /**
     * The failure's message followed by those of its causes that add something ("a: b: c"), on one line. A
     * message that merely repeats its cause's (as in {@code new RuntimeException(cause)}) is skipped.
     */
    static String oneLine(Throwable failure) {
        Set<String> parts = new LinkedHashSet<>();
        StringBuilder line = new StringBuilder();
        for (Throwable t = failure; t != null && parts.size() < 5; t = t.getCause() == t ? null : t.getCause()) {
            String message = describe(t);
            if (message == null || line.indexOf(message) >= 0 || !parts.add(message)) continue;
            if (t.getCause() != null && message.equals(t.getCause().toString())) continue;
            if (line.length() > 0) line.append(": ");
            line.append(message);
        }
        return line.length() == 0 ? failure.getClass().getSimpleName() : line.toString();
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) return t.getCause() == null ? t.getClass().getSimpleName() : null;
        return message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
