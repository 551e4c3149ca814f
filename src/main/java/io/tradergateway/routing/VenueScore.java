package io.tradergateway.routing;

import java.util.Objects;

/**
 * A venue's score for one order, with its components (each in [0, 1]).
 * {@code total = 0.3·liquidity + 0.2·latency + 0.2·slippage + 0.3·success}; the total is what the
 * exec-report carries as {@code venue_score}. {@code evidenceWeight} is how much the learned stats counted
 * against the priors (1 = fresh evidence, 0 = priors only).
 */
public record VenueScore(String venue, double total, double liquidity, double latency, double slippage,
                         double success, double evidenceWeight) {
    public VenueScore {
        Objects.requireNonNull(venue, "venue");
        requireUnit("total", total);
        requireUnit("liquidity", liquidity);
        requireUnit("latency", latency);
        requireUnit("slippage", slippage);
        requireUnit("success", success);
        requireUnit("evidence weight", evidenceWeight);
    }

    private static void requireUnit(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " score outside [0, 1]: " + value);
        }
    }
}
