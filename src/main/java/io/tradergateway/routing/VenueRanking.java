package io.tradergateway.routing;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of ranking venues for one order: the eligible venues best first, and the venues left out
 * with the reason (for the error_message when nothing is eligible).
 */
public record VenueRanking(List<VenueScore> ranked, List<VenueExclusion> excluded) {
    public VenueRanking {
        ranked = List.copyOf(ranked);
        excluded = List.copyOf(excluded);
    }

    /** The venue to try first, empty when no venue is eligible. */
    public Optional<VenueScore> best() {
        return ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.get(0));
    }

    /** E.g. "no eligible venue (SIM_A: FIX session is down; SIM_B: does not list the symbol)". */
    public String noVenueMessage() {
        if (excluded.isEmpty()) {
            return "no eligible venue (no venue configured)";
        }
        return excluded.stream().map(VenueExclusion::toString)
                .collect(Collectors.joining("; ", "no eligible venue (", ")"));
    }
}
