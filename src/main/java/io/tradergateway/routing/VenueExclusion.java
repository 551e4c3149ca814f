package io.tradergateway.routing;

import java.util.Objects;

/** A venue left out of a ranking, and why. */
public record VenueExclusion(String venue, ExclusionReason reason) {
    public VenueExclusion {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return venue + ": " + reason.description();
    }
}
