package io.tradergateway.routing;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The current {@link VenueStats} of every venue, updated by observations. Not thread-safe: owned by
 * the engine's single trading thread. Persist {@link #all()} (or the record returned by
 * {@link #observe}) and {@link #restore} it at start-up.
 */
public final class VenueStatsBook {
    private final double alpha;
    private final Map<String, VenueStats> byVenue = new TreeMap<>();

    /** @param alpha EWMA weight of the newest sample, in (0, 1]; {@link VenueStats#DEFAULT_ALPHA} by default */
    public VenueStatsBook(double alpha) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1]: " + alpha);
        }
        this.alpha = alpha;
    }

    public VenueStatsBook() {
        this(VenueStats.DEFAULT_ALPHA);
    }

    public double alpha() {
        return alpha;
    }

    /** The venue's stats, {@link VenueStats#initial} if nothing was observed yet. */
    public VenueStats get(String venue) {
        Objects.requireNonNull(venue, "venue");
        return byVenue.getOrDefault(venue, VenueStats.initial(venue));
    }

    /** Applies one observation and returns the venue's new stats (the record to persist). */
    public VenueStats observe(ExecutionObservation observation) {
        VenueStats updated = get(observation.venue()).update(observation, alpha);
        byVenue.put(updated.venue(), updated);
        return updated;
    }

    /** Puts back stats loaded from storage (replaces what is held for that venue). */
    public void restore(VenueStats stats) {
        byVenue.put(stats.venue(), Objects.requireNonNull(stats, "stats"));
    }

    /** Forgets every venue's stats (before reloading them all from storage). */
    public void clear() {
        byVenue.clear();
    }

    /** Every venue with at least one observation or restored record, by venue name. */
    public Collection<VenueStats> all() {
        return Collections.unmodifiableCollection(byVenue.values());
    }
}
