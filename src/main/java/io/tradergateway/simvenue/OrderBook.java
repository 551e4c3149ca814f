package io.tradergateway.simvenue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One venue's book for one symbol: the other participants' liquidity, regenerated around the reference mid on
 * every tick (or setMid), and consumed by the orders it fills. Our own resting orders are not shown in it.
 * Only touched by the market's single thread.
 */
final class OrderBook {
    private final SymbolSpec spec;
    private final SplittableRandom random;
    /** Best first. Each entry is [price, size]; empty levels are removed, so the depth can shrink. */
    private final List<BigDecimal[]> bids = new ArrayList<>();
    private final List<BigDecimal[]> offers = new ArrayList<>();

    OrderBook(SymbolSpec spec, SplittableRandom random) {
        this.spec = spec;
        this.random = random;
    }

    /** Rebuilds both sides around the mid with this profile's spread, depth and sizes. */
    void regenerate(BigDecimal mid, VenueProfile profile) {
        BigDecimal tick = spec.tickSize();
        BigDecimal halfSpread = mid.multiply(profile.spreadBps()).divide(Prices.BPS.multiply(BigDecimal.valueOf(2)), 10,
                RoundingMode.HALF_EVEN);
        BigDecimal bestBid = Prices.roundToTick(mid.subtract(halfSpread), tick, RoundingMode.FLOOR);
        BigDecimal bestOffer = Prices.roundToTick(mid.add(halfSpread), tick, RoundingMode.CEILING);
        // A spread narrower than a tick still leaves the mid strictly between bid and offer.
        if (bestBid.compareTo(mid) >= 0) bestBid = bestBid.subtract(tick);
        if (bestOffer.compareTo(mid) <= 0) bestOffer = bestOffer.add(tick);
        BigDecimal step = tick.multiply(BigDecimal.valueOf(profile.levelSpacingTicks()));
        bids.clear();
        offers.clear();
        for (int level = 0; level < profile.depthLevels(); level++) {
            BigDecimal offset = step.multiply(BigDecimal.valueOf(level));
            BigDecimal bidPrice = bestBid.subtract(offset);
            BigDecimal bidSize = levelSize(profile, level);
            BigDecimal offerSize = levelSize(profile, level);
            if (bidPrice.signum() > 0) bids.add(new BigDecimal[] {bidPrice, bidSize});
            offers.add(new BigDecimal[] {bestOffer.add(offset), offerSize});
        }
    }

    private BigDecimal levelSize(VenueProfile profile, int level) {
        BigDecimal base = profile.levelSize().multiply(BigDecimal.ONE.add(profile.levelSizeGrowth().multiply(BigDecimal.valueOf(level))));
        if (profile.sizeJitter() > 0) {
            double factor = 1 + profile.sizeJitter() * (2 * random.nextDouble() - 1);
            base = base.multiply(BigDecimal.valueOf(factor));
        }
        BigDecimal size = Prices.floorToLot(base, spec.lotSize());
        return size.signum() > 0 ? size : spec.lotSize();
    }

    BookSnapshot snapshot() {
        return new BookSnapshot(copy(bids), copy(offers));
    }

    private static List<PriceLevel> copy(List<BigDecimal[]> side) {
        List<PriceLevel> levels = new ArrayList<>(side.size());
        for (BigDecimal[] level : side) levels.add(new PriceLevel(level[0], level[1]));
        return levels;
    }

    /** The side an order of this side trades against: a buy takes offers, a sell hits bids. */
    private List<BigDecimal[]> contra(boolean buy) {
        return buy ? offers : bids;
    }

    private static boolean within(boolean buy, BigDecimal price, BigDecimal limit) {
        return limit == null || (buy ? price.compareTo(limit) <= 0 : price.compareTo(limit) >= 0);
    }

    /** Quantity available to an order of this side at or better than the limit (null: any price). */
    BigDecimal available(boolean buy, BigDecimal limit) {
        BigDecimal total = BigDecimal.ZERO;
        for (BigDecimal[] level : contra(buy)) {
            if (!within(buy, level[0], limit)) break;
            total = total.add(level[1]);
        }
        return total;
    }

    boolean hasContra(boolean buy) {
        return !contra(buy).isEmpty();
    }

    BigDecimal bestContraPrice(boolean buy) {
        List<BigDecimal[]> side = contra(buy);
        return side.isEmpty() ? null : side.get(0)[0];
    }

    /**
     * Takes up to {@code quantity} from the contra side, best level first, stopping at the limit (null: none).
     * Returns the pieces taken as (price, quantity) levels; the liquidity is gone from the book.
     */
    List<PriceLevel> take(boolean buy, BigDecimal quantity, BigDecimal limit) {
        List<PriceLevel> taken = new ArrayList<>();
        List<BigDecimal[]> side = contra(buy);
        BigDecimal remaining = quantity;
        while (remaining.signum() > 0 && !side.isEmpty()) {
            BigDecimal[] level = side.get(0);
            if (!within(buy, level[0], limit)) break;
            BigDecimal qty = remaining.min(level[1]);
            taken.add(new PriceLevel(level[0], qty));
            level[1] = level[1].subtract(qty);
            remaining = remaining.subtract(qty);
            if (level[1].signum() == 0) side.remove(0);
        }
        return taken;
    }
}
