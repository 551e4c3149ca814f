package io.tradergateway.fix;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tradergateway.execution.ExecType;
import io.tradergateway.execution.VenueExecutionReport;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the FIX adapter counts per venue (issue 11 item 8), as it sees every order it sends and every venue answer:
 * NewOrderSingles sent, fills, rejects, and the time from a NewOrderSingle leaving to the venue's first answer to it.
 * Every series exists from start (zero until it happens). Called on the sending thread and on QuickFIX/J threads:
 * counters only, and one small synchronized map of send times (bounded).
 */
final class FixMetrics {
    /** Send times of orders not answered yet; beyond this many the oldest is forgotten (no ack sample for it). */
    static final int UNANSWERED_KEPT = 20_000;
    /** Buckets of the ack latency histogram. */
    private static final Duration[] ACK_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final Map<String, Counter> sent = new HashMap<>();
    private final Map<String, Counter> fills = new HashMap<>();
    private final Map<String, Counter> rejects = new HashMap<>();
    private final Map<String, Timer> ack = new HashMap<>();
    private final Map<String, Long> sentAtNanos = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > UNANSWERED_KEPT;
        }
    };

    FixMetrics(MeterRegistry registry, Collection<String> venues) {
        for (String venue : venues) {
            sent.put(venue, Counter.builder("trader.venue.orders.sent").tag("venue", venue)
                    .description("NewOrderSingles (35=D) sent to the venue").register(registry));
            fills.put(venue, Counter.builder("trader.venue.fills").tag("venue", venue)
                    .description("fill ExecutionReports (ExecType F, or FIX 4.2's 1/2) from the venue; resent duplicates (PossDup) not counted")
                    .register(registry));
            rejects.put(venue, Counter.builder("trader.venue.rejects").tag("venue", venue)
                    .description("orders the venue rejected: ExecutionReport ExecType 8, or a Reject/BusinessMessageReject of our 35=D")
                    .register(registry));
            ack.put(venue, Timer.builder("trader.venue.order.ack").tag("venue", venue)
                    .description("time from a NewOrderSingle leaving to the venue's first ExecutionReport or refusal of it")
                    .serviceLevelObjectives(ACK_BUCKETS).register(registry));
        }
    }

    void orderSent(String venue, String clOrdId) {
        Counter c = sent.get(venue);
        if (c == null || clOrdId == null) return;
        c.increment();
        synchronized (sentAtNanos) {
            sentAtNanos.put(clOrdId, System.nanoTime());
        }
    }

    /** A venue ExecutionReport (not a PossDup resend). */
    void report(VenueExecutionReport r) {
        answered(r.venue(), r.clOrdId() == null ? null : r.clOrdId().value());
        if (r.execType() == ExecType.TRADE) count(fills, r.venue());
        else if (r.execType() == ExecType.REJECTED) count(rejects, r.venue());
    }

    /** A session-level refusal (35=3 / 35=j) of one of our NewOrderSingles. */
    void orderRefused(String venue, String clOrdId) {
        answered(venue, clOrdId);
        count(rejects, venue);
    }

    private void answered(String venue, String clOrdId) {
        if (clOrdId == null) return;
        Long at;
        synchronized (sentAtNanos) {
            at = sentAtNanos.remove(clOrdId);
        }
        Timer t = ack.get(venue);
        if (at != null && t != null) t.record(System.nanoTime() - at, TimeUnit.NANOSECONDS);
    }

    private static void count(Map<String, Counter> counters, String venue) {
        Counter c = counters.get(venue);
        if (c != null) c.increment();
    }
}
