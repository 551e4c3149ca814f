package io.tradergateway.market;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A venue's best bid and best offer (top of book). One side may be missing (null) when the book is one-sided.
 *
 * @param venue the venue
 * @param bid   best bid, or null
 * @param offer best offer, or null
 * @param time  time of the last book update from this venue
 */
public record Quote(String venue, BookLevel bid, BookLevel offer, Instant time) {

    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    public Quote {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(time, "time");
        if (bid == null && offer == null) throw new IllegalArgumentException("a quote needs a bid or an offer");
    }

    public Optional<BookLevel> bestBid() {
        return Optional.ofNullable(bid);
    }

    public Optional<BookLevel> bestOffer() {
        return Optional.ofNullable(offer);
    }

    public boolean isTwoSided() {
        return bid != null && offer != null;
    }

    /** (bid + offer) / 2, when two-sided. */
    public Optional<BigDecimal> mid() {
        return isTwoSided() ? Optional.of(bid.price().add(offer.price()).divide(TWO)) : Optional.empty();
    }

    /** offer − bid, when two-sided (negative for a crossed book). */
    public Optional<BigDecimal> spread() {
        return isTwoSided() ? Optional.of(offer.price().subtract(bid.price())) : Optional.empty();
    }

    /** Spread as a fraction of the mid ({@code 0.0005} = 5 bps), when two-sided with a positive mid. */
    public Optional<BigDecimal> spreadFraction() {
        return mid().filter(m -> m.signum() > 0)
                .map(m -> offer.price().subtract(bid.price()).divide(m, MathContext.DECIMAL64));
    }
}
