package io.tradergateway.market;

import io.tradergateway.domain.FigureBounds;
import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One venue's order book for one symbol: bid and offer levels, best first (level 1 = index 0).
 * Mutated only through {@link SymbolMarket}; readers get copies.
 */
public final class VenueBook {

    /**
     * Most levels kept per side. Feeds send 5 to 20; one that adds levels and never deletes them must not grow a book
     * (and the time to update it) without bound: past this the worst levels go.
     */
    static final int MAX_DEPTH = 100;

    static final Comparator<BookLevel> BIDS_BEST_FIRST = Comparator.comparing(BookLevel::price).reversed();
    static final Comparator<BookLevel> OFFERS_BEST_FIRST = Comparator.comparing(BookLevel::price);

    private final String venue;
    private final List<BookLevel> bids = new ArrayList<>();
    private final List<BookLevel> offers = new ArrayList<>();
    private Instant lastUpdate;
    private long ignoredUpdates;

    VenueBook(String venue) {
        this.venue = venue;
    }

    public String venue() {
        return venue;
    }

    /** Bid levels, best (highest) first. */
    public List<BookLevel> bids() {
        return List.copyOf(bids);
    }

    /** Offer levels, best (lowest) first. */
    public List<BookLevel> offers() {
        return List.copyOf(offers);
    }

    /** The levels an order of {@code side} takes: a buy takes offers, a sell takes bids. */
    public List<BookLevel> levelsTakenBy(Side side) {
        return side == Side.BUY ? offers() : bids();
    }

    /** Time of the last snapshot or update applied; empty before the first one. */
    public Optional<Instant> lastUpdate() {
        return Optional.ofNullable(lastUpdate);
    }

    /** Updates that could not be applied (a level that does not exist, a NEW without price): a sign of a gap. */
    public long ignoredUpdates() {
        return ignoredUpdates;
    }

    public Optional<Quote> quote() {
        BookLevel bid = bids.isEmpty() ? null : bids.get(0);
        BookLevel offer = offers.isEmpty() ? null : offers.get(0);
        if (bid == null && offer == null) return Optional.empty();
        return Optional.of(new Quote(venue, bid, offer, lastUpdate));
    }

    void replace(List<BookLevel> newBids, List<BookLevel> newOffers, Instant time) {
        bids.clear();
        offers.clear();
        newBids.stream().filter(VenueBook::isUsable).sorted(BIDS_BEST_FIRST).limit(MAX_DEPTH).forEach(bids::add);
        newOffers.stream().filter(VenueBook::isUsable).sorted(OFFERS_BEST_FIRST).limit(MAX_DEPTH).forEach(offers::add);
        lastUpdate = time;
    }

    void clear() {
        bids.clear();
        offers.clear();
    }

    void apply(BookLevelUpdate update) {
        List<BookLevel> levels = update.bookSide() == Side.BUY ? bids : offers;
        boolean applied = update.position() >= 1
                ? applyPositional(levels, update)
                : applyByPrice(levels, update.bookSide() == Side.BUY ? BIDS_BEST_FIRST : OFFERS_BEST_FIRST, update);
        if (!applied) ignoredUpdates++;
        lastUpdate = update.time();
    }

    private static boolean applyPositional(List<BookLevel> levels, BookLevelUpdate u) {
        int index = u.position() - 1;
        switch (u.action()) {
            case NEW -> {
                if (u.price() == null || u.size() == null) return false;
                BookLevel level = new BookLevel(u.price(), u.size());
                if (!isUsable(level)) return false;
                levels.add(Math.min(index, levels.size()), level);
                trim(levels);
                return true;
            }
            case CHANGE -> {
                if (index >= levels.size() || u.size() == null) return false;
                BigDecimal price = u.price() != null ? u.price() : levels.get(index).price();
                BookLevel level = new BookLevel(price, u.size());
                if (!isUsable(level)) return false;
                levels.set(index, level);
                return true;
            }
            case DELETE -> {
                if (index >= levels.size()) return false;
                levels.remove(index);
                return true;
            }
        }
        throw new IllegalStateException("unhandled action " + u.action());
    }

    private static boolean applyByPrice(List<BookLevel> levels, Comparator<BookLevel> bestFirst, BookLevelUpdate u) {
        if (!FigureBounds.usablePrice(u.price())) return false;
        int at = indexOfPrice(levels, u.price());
        if (u.action() == BookLevelUpdate.Action.DELETE) {
            if (at < 0) return false; // deleting a level we do not have: we missed something
            levels.remove(at);
            return true;
        }
        if (u.size() == null) return false;
        if (u.size().signum() <= 0) { // NEW/CHANGE to size 0: the level is gone
            if (at >= 0) levels.remove(at);
            return true;
        }
        BookLevel level = new BookLevel(u.price(), u.size());
        if (at >= 0) {
            levels.set(at, level);
        } else {
            int insertAt = 0;
            while (insertAt < levels.size() && bestFirst.compare(levels.get(insertAt), level) < 0) insertAt++;
            levels.add(insertAt, level);
            trim(levels);
        }
        return true;
    }

    /** Drops the worst levels past {@link #MAX_DEPTH}. */
    private static void trim(List<BookLevel> levels) {
        while (levels.size() > MAX_DEPTH) levels.remove(levels.size() - 1);
    }

    private static int indexOfPrice(List<BookLevel> levels, BigDecimal price) {
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i).price().compareTo(price) == 0) return i;
        }
        return -1;
    }

    private static boolean isUsable(BookLevel level) {
        return FigureBounds.usablePrice(level.price()) && level.size().signum() > 0;
    }
}
