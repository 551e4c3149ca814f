package io.tradergateway.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Ranks the venues that can take an order, best first. The engine sends the order to the first venue
 * and, on a venue reject, fails over once to the second.
 *
 * <h2>Rule</h2>
 * <ol>
 *   <li><b>Eligibility.</b> A venue whose FIX session is down, or that does not list the symbol, is
 *       excluded. If {@code venue_preferences} is non-empty, a venue not named there is excluded too
 *       (preferences <i>restrict</i> the candidates; if none of the preferred venues is eligible the
 *       ranking is empty and the order fails, it never spills over to a venue the plan did not allow).
 *       A venue with no depth is <i>not</i> excluded: depth is a snapshot, it only lowers the score.</li>
 *   <li><b>Without preferences:</b> by total score descending; equal scores by venue name.</li>
 *   <li><b>With preferences:</b> let {@code best} be the highest total among the eligible venues.
 *       The venues within {@code tolerance} (default {@value #DEFAULT_PREFERENCE_TOLERANCE}) of it
 *       ({@code score ≥ best − tolerance}) come first, <i>in preference order</i> — the plan's wish wins
 *       while it costs little. The others follow by score descending, equal scores by preference
 *       order. So a preferred venue that is clearly worse (e.g. thin book, frequent rejects) is not
 *       tried before a clearly better allowed one.</li>
 * </ol>
 * Example: preferences [A, B, C] with scores A 0.70, B 0.95, C 0.88 (tolerance 0.1, best 0.95):
 * B and C are within 0.1 → ordered by preference: B, C; then A → ranking B, C, A.
 */
public final class VenueSelector {
    public static final double DEFAULT_PREFERENCE_TOLERANCE = 0.1;

    /** Absorbs floating-point noise so that "exactly 0.1 below the best" counts as within. */
    private static final double EPSILON = 1e-9;

    private final VenueScorer scorer;
    private final double preferenceTolerance;

    public VenueSelector(VenueScorer scorer, double preferenceTolerance) {
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        if (!(preferenceTolerance >= 0 && preferenceTolerance <= 1)) {
            throw new IllegalArgumentException("preference tolerance must be in [0, 1]: " + preferenceTolerance);
        }
        this.preferenceTolerance = preferenceTolerance;
    }

    public VenueSelector() {
        this(new VenueScorer(), DEFAULT_PREFERENCE_TOLERANCE);
    }

    /** The eligible venues, best first (see the class comment). */
    public List<VenueScore> rank(List<VenueCandidate> candidates, OrderRequirements requirements) {
        return rankExplained(candidates, requirements).ranked();
    }

    /** Like {@link #rank}, also saying why each left-out venue was excluded. */
    public VenueRanking rankExplained(List<VenueCandidate> candidates, OrderRequirements requirements) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(requirements, "requirements");
        List<VenueScore> eligible = new ArrayList<>();
        List<VenueExclusion> excluded = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (VenueCandidate candidate : candidates) {
            if (!seen.add(candidate.venue())) {
                throw new IllegalArgumentException("venue listed twice: " + candidate.venue());
            }
            if (!candidate.sessionUp()) {
                excluded.add(new VenueExclusion(candidate.venue(), ExclusionReason.SESSION_DOWN));
            } else if (!candidate.listsSymbol()) {
                excluded.add(new VenueExclusion(candidate.venue(), ExclusionReason.SYMBOL_NOT_LISTED));
            } else if (requirements.hasPreferences() && requirements.preferenceIndex(candidate.venue()) < 0) {
                excluded.add(new VenueExclusion(candidate.venue(), ExclusionReason.NOT_PREFERRED));
            } else {
                eligible.add(scorer.score(candidate, requirements));
            }
        }
        List<VenueScore> ranked = requirements.hasPreferences()
                ? orderWithPreferences(eligible, requirements)
                : eligible.stream().sorted(byScoreThenName()).toList();
        return new VenueRanking(ranked, excluded);
    }

    private List<VenueScore> orderWithPreferences(List<VenueScore> eligible, OrderRequirements requirements) {
        double best = eligible.stream().mapToDouble(VenueScore::total).max().orElse(0);
        Comparator<VenueScore> byPreference = Comparator.comparingInt(s -> requirements.preferenceIndex(s.venue()));
        List<VenueScore> competitive = new ArrayList<>();
        List<VenueScore> rest = new ArrayList<>();
        for (VenueScore score : eligible) {
            (best - score.total() <= preferenceTolerance + EPSILON ? competitive : rest).add(score);
        }
        competitive.sort(byPreference);
        rest.sort(Comparator.comparingDouble(VenueScore::total).reversed().thenComparing(byPreference));
        List<VenueScore> ranked = new ArrayList<>(competitive);
        ranked.addAll(rest);
        return ranked;
    }

    private static Comparator<VenueScore> byScoreThenName() {
        return Comparator.comparingDouble(VenueScore::total).reversed().thenComparing(VenueScore::venue);
    }
}
