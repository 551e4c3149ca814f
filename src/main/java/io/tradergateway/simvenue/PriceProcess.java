package io.tradergateway.simvenue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The reference mid of one symbol, shared by every venue: geometric Brownian motion driven by its own seeded
 * random stream. Only touched by the market's single thread.
 */
final class PriceProcess {
    /** Seconds in a trading year (252 days of 6.5 hours): drift and volatility are annualised over it. */
    private static final double SECONDS_PER_YEAR = 252 * 6.5 * 3600;

    private final SymbolSpec spec;
    private final SplittableRandom random;
    private final double timeScale;
    /** Kept unrounded so that moves smaller than a tick accumulate instead of being rounded away every step. */
    private double exactMid;
    private BigDecimal mid;

    PriceProcess(SymbolSpec spec, SplittableRandom random, double timeScale) {
        this.spec = spec;
        this.random = random;
        this.timeScale = timeScale;
        set(spec.initialPrice());
    }

    BigDecimal mid() {
        return mid;
    }

    /** The mid before rounding to the tick (tests measure the process's returns on it). */
    double exactMid() {
        return exactMid;
    }

    void set(BigDecimal newMid) {
        if (newMid == null || newMid.signum() <= 0) throw new IllegalArgumentException("mid must be > 0: " + newMid);
        exactMid = newMid.doubleValue();
        mid = Prices.roundToTick(newMid, spec.tickSize(), RoundingMode.HALF_EVEN);
        if (mid.signum() <= 0) mid = spec.tickSize();
    }

    /** Advances the mid by one GBM step of {@code dt} real time (scaled by timeScale) and returns it. */
    BigDecimal step(Duration dt) {
        double years = dt.toNanos() / 1e9 * timeScale / SECONDS_PER_YEAR;
        double sigma = spec.volatility();
        double shock = random.nextGaussian();
        exactMid = exactMid * Math.exp((spec.drift() - sigma * sigma / 2) * years + sigma * Math.sqrt(years) * shock);
        BigDecimal rounded = Prices.roundToTick(BigDecimal.valueOf(exactMid), spec.tickSize(), RoundingMode.HALF_EVEN);
        mid = rounded.signum() > 0 ? rounded : spec.tickSize();
        return mid;
    }
}
