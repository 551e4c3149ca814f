package io.tradergateway.report.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a consumer receives its exec-reports.
 *
 * @param name    consumer name, e.g. {@code decision_maker}; also names its worker thread
 * @param url     HTTP(S) endpoint reports are POSTed to; {@code null} = pull-only (skipped by the pusher)
 * @param timeout bound on one push, end to end (connect, request, response headers and body); a push not answered
 *                within it counts as a failure and is sent again after back-off; {@code null} = {@link #DEFAULT_TIMEOUT}
 */
public record ConsumerEndpoint(String name, URI url, Duration timeout) {

    /** The consumers named by the exec-report contract ({@code reported_to}). */
    public static final List<String> STANDARD_CONSUMERS = List.of("alpha_detector", "decision_maker", "learning_systems");

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public ConsumerEndpoint {
        Objects.requireNonNull(name, "consumer name");
        if (name.isBlank()) throw new IllegalArgumentException("blank consumer name");
        if (url != null) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
                throw new IllegalArgumentException("consumer " + name + ": URL must be absolute http(s): " + url);
            }
        }
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("consumer " + name + ": timeout must be positive: " + timeout);
        }
    }

    /** A consumer that only pulls ({@code GET /v1/exec-reports?after=N}). */
    public static ConsumerEndpoint pullOnly(String name) {
        return new ConsumerEndpoint(name, null, null);
    }

    /** True when the dispatcher pushes to this consumer. */
    public boolean pushed() {
        return url != null;
    }
}
