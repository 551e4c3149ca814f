package io.tradergateway.risk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Orders per second per venue, over a sliding one-second window: {@link #tryAcquire} says whether one more order may
 * go now. An order that may not waits (the engine keeps it and tries again on its tick) up to a bound, then is
 * refused: the venue sees at most {@code perSecond} orders in any second, never a burst. Engine thread only; time
 * comes from the caller (no clock reads), so tests replay it exactly.
 */
public final class RateLimiter {
    private final int perSecond;
    private final Map<String, Deque<Instant>> sent = new HashMap<>();

    /** @param perSecond orders per venue per second; 0 or less = no limit */
    public RateLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    /** How many more orders may go to {@code venue} at {@code now} (none counted). */
    public int available(String venue, Instant now) {
        if (perSecond <= 0) return Integer.MAX_VALUE;
        Deque<Instant> window = sent.computeIfAbsent(venue, v -> new ArrayDeque<>());
        Instant from = now.minus(Duration.ofSeconds(1));
        while (!window.isEmpty() && !window.peekFirst().isAfter(from)) window.pollFirst();
        return perSecond - window.size();
    }

    /** True, and the order is counted, when one more order to {@code venue} at {@code now} stays within the rate. */
    public boolean tryAcquire(String venue, Instant now) {
        if (available(venue, now) <= 0) return false;
        if (perSecond > 0) sent.get(venue).addLast(now);
        return true;
    }
}
