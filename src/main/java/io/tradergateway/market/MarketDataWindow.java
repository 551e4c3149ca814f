package io.tradergateway.market;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * A rolling time window of one symbol's trades, for the SPEC's {@code volume} and {@code volatility}.
 * <p>
 * <b>Window.</b> At time {@code now} the window holds the trades with {@code time > now − length} (a trade exactly
 * {@code length} old has left it). Trades are kept in arrival order in an {@link ArrayDeque}; every insert evicts the
 * trades that left the window at the new trade's time, and queries evict at their {@code now}, so each trade is added
 * and removed once (amortised O(1)), the volume is a running sum, and memory holds one window of trades however
 * long nobody asks (it grew for ever when only queries evicted: 31k entries after 32k plans).
 * <p>
 * <b>Late prints.</b> A trade stamped earlier than the newest one already held is kept at the newest one's time
 * (it cannot be slotted back into the deque), unless it is already older than the window, then it is dropped.
 * A trade with a non-positive price is dropped (it has no log return); a null or negative quantity counts as zero
 * volume (the price still counts).
 * <p>
 * <b>Volume</b> = the sum of the quantities of the trades in the window. The same background trade reported by
 * several venues counts once per venue: each venue's print is a trade on that venue.
 * <p>
 * <b>Volatility</b> = the sample standard deviation (divisor n − 1) of the log returns
 * {@code ln(p[k] / p[k−1])} between consecutive trades both inside the window, as a fraction (not annualised,
 * not in percent). With n trades there are n − 1 returns; a sample standard deviation needs at least two, so with
 * fewer than 3 trades in the window the volatility is {@code 0} ("not measurable", which never meets a positive
 * threshold). {@code double} is fine here: it is a statistic, not money.
 * <p>
 * Not thread-safe: owned by the trading thread. Queries with a {@code now} earlier than a previous query see the
 * window as already evicted at the later time.
 */
public final class MarketDataWindow {

    public static final Duration DEFAULT_LENGTH = Duration.ofSeconds(60);

    /** One trade held by the window. */
    public record Trade(Instant time, BigDecimal price, BigDecimal qty) {
        public Trade {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(price, "price");
            Objects.requireNonNull(qty, "qty");
        }
    }

    private final Duration length;
    private final ArrayDeque<Trade> trades = new ArrayDeque<>();
    private BigDecimal volume = BigDecimal.ZERO;
    /** Incremented on every change of the deque; the volatility is cached against it. */
    private long changes;
    private long volatilityComputedAt = -1;
    private double cachedVolatility;

    public MarketDataWindow() {
        this(DEFAULT_LENGTH);
    }

    public MarketDataWindow(Duration length) {
        Objects.requireNonNull(length, "length");
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("window length must be > 0, got " + length);
        }
        this.length = length;
    }

    public Duration length() {
        return length;
    }

    /** Records a trade (see the class comment for late prints and bad values). */
    public void onTrade(Instant time, BigDecimal price, BigDecimal qty) {
        Objects.requireNonNull(time, "time");
        if (price == null || price.signum() <= 0) return;
        BigDecimal quantity = qty == null || qty.signum() < 0 ? BigDecimal.ZERO : qty;
        Trade newest = trades.peekLast();
        Instant at = time;
        if (newest != null && time.isBefore(newest.time())) {
            if (!time.isAfter(newest.time().minus(length))) return; // older than the window already
            at = newest.time();
        }
        trades.addLast(new Trade(at, price, quantity));
        volume = volume.add(quantity);
        changes++;
        evict(at);
    }

    /** Trades held right now, without evicting (what the window costs in memory). */
    public int heldTrades() {
        return trades.size();
    }

    /** Traded quantity in the window at {@code now}. */
    public BigDecimal volume(Instant now) {
        evict(now);
        return volume;
    }

    /** Number of trades in the window at {@code now}. */
    public int tradeCount(Instant now) {
        evict(now);
        return trades.size();
    }

    /** The trades in the window at {@code now}, oldest first. */
    public List<Trade> trades(Instant now) {
        evict(now);
        return List.copyOf(trades);
    }

    /**
     * Sample standard deviation of the log returns between consecutive trades in the window at {@code now};
     * {@code 0} with fewer than 3 trades.
     */
    public double volatility(Instant now) {
        evict(now);
        if (volatilityComputedAt != changes) {
            cachedVolatility = computeVolatility();
            volatilityComputedAt = changes;
        }
        return cachedVolatility;
    }

    /** True when the window holds enough trades (3) for {@link #volatility} to be measured. */
    public boolean volatilityMeasurable(Instant now) {
        return tradeCount(now) >= 3;
    }

    private double computeVolatility() {
        int returnsCount = trades.size() - 1;
        if (returnsCount < 2) return 0.0;
        double[] returns = new double[returnsCount];
        double previous = Double.NaN;
        int k = 0;
        for (Trade trade : trades) {
            double price = trade.price().doubleValue();
            if (!Double.isNaN(previous)) returns[k++] = Math.log(price / previous);
            previous = price;
        }
        double mean = 0;
        for (double r : returns) mean += r;
        mean /= returnsCount;
        double squares = 0;
        for (double r : returns) squares += (r - mean) * (r - mean);
        return Math.sqrt(squares / (returnsCount - 1));
    }

    private void evict(Instant now) {
        Objects.requireNonNull(now, "now");
        Instant horizon = now.minus(length);
        while (!trades.isEmpty() && !trades.peekFirst().time().isAfter(horizon)) {
            volume = volume.subtract(trades.removeFirst().qty());
            changes++;
        }
    }
}
