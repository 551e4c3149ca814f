package io.tradergateway.simvenue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one simulated venue behaves: its book shape, speed, fees, reject rate and partial-fill habit, and
 * which symbols it lists.
 *
 * @param name                   venue name = the acceptor session's SenderCompID (e.g. SIM_DEEP)
 * @param symbols                symbols this venue lists (each must be defined in venues.json "symbols")
 * @param spreadBps              full bid/offer spread around the reference mid, in basis points of the mid
 * @param depthLevels            price levels per side
 * @param levelSize              quantity at the top level
 * @param levelSizeGrowth        extra quantity per level deeper, as a fraction of levelSize (0.5: 100, 150, 200 ...)
 * @param levelSpacingTicks      ticks between two adjacent levels
 * @param sizeJitter             random +/- fraction applied to each level's size when the book regenerates (0 = exact)
 * @param ackLatency             delay between receiving a request and answering it
 * @param ackJitter              extra random delay, uniform in [0, ackJitter)
 * @param feeBps                 fee per fill in basis points of the fill's notional (reported in Commission(12))
 * @param rejectRate             probability in [0, 1] that a valid NewOrderSingle is rejected anyway
 * @param partialFillProbability probability in [0, 1] that a marketable order is worked in slices instead of at once
 * @param partialFillSlices      number of slices such an order is split into (>= 1)
 * @param partialFillInterval    delay between two slices
 */
public record VenueProfile(String name, List<String> symbols, BigDecimal spreadBps, int depthLevels,
                           BigDecimal levelSize, BigDecimal levelSizeGrowth, int levelSpacingTicks,
                           double sizeJitter, Duration ackLatency, Duration ackJitter, BigDecimal feeBps,
                           double rejectRate, double partialFillProbability, int partialFillSlices,
                           Duration partialFillInterval) {

    public VenueProfile {
        Objects.requireNonNull(name, "name");
        symbols = List.copyOf(Objects.requireNonNull(symbols, "symbols"));
        require(spreadBps != null && spreadBps.signum() > 0, name, "spreadBps must be > 0: " + spreadBps);
        require(depthLevels >= 1, name, "depthLevels must be >= 1: " + depthLevels);
        require(levelSize != null && levelSize.signum() > 0, name, "levelSize must be > 0: " + levelSize);
        require(levelSizeGrowth != null && levelSizeGrowth.signum() >= 0, name,
                "levelSizeGrowth must be >= 0: " + levelSizeGrowth);
        require(levelSpacingTicks >= 1, name, "levelSpacingTicks must be >= 1: " + levelSpacingTicks);
        require(sizeJitter >= 0 && sizeJitter < 1, name, "sizeJitter must be in [0, 1): " + sizeJitter);
        require(ackLatency != null && !ackLatency.isNegative(), name, "ackLatency must be >= 0: " + ackLatency);
        require(ackJitter != null && !ackJitter.isNegative(), name, "ackJitter must be >= 0: " + ackJitter);
        require(feeBps != null && feeBps.signum() >= 0, name, "feeBps must be >= 0: " + feeBps);
        require(rejectRate >= 0 && rejectRate <= 1, name, "rejectRate must be in [0, 1]: " + rejectRate);
        require(partialFillProbability >= 0 && partialFillProbability <= 1, name,
                "partialFillProbability must be in [0, 1]: " + partialFillProbability);
        require(partialFillSlices >= 1, name, "partialFillSlices must be >= 1: " + partialFillSlices);
        require(partialFillInterval != null && !partialFillInterval.isNegative(), name,
                "partialFillInterval must be >= 0: " + partialFillInterval);
    }

    private static void require(boolean ok, String venue, String message) {
        if (!ok) throw new IllegalArgumentException("venue " + venue + ": " + message);
    }

    public boolean lists(String symbol) {
        return symbols.contains(symbol);
    }

    public VenueProfile withSymbols(List<String> v) {
        return new VenueProfile(name, v, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval);
    }

    public VenueProfile withSpreadBps(BigDecimal v) {
        return new VenueProfile(name, symbols, v, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval);
    }

    public VenueProfile withDepthLevels(int v) {
        return new VenueProfile(name, symbols, spreadBps, v, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval);
    }

    public VenueProfile withLevelSize(BigDecimal v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, v, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval);
    }

    public VenueProfile withLevelSizeGrowth(BigDecimal v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, v, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval);
    }

    public VenueProfile withLevelSpacingTicks(int v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, v,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval);
    }

    public VenueProfile withSizeJitter(double v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                v, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval);
    }

    public VenueProfile withAckLatency(Duration v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, v, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval);
    }

    public VenueProfile withAckJitter(Duration v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, v, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval);
    }

    public VenueProfile withFeeBps(BigDecimal v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, v, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval);
    }

    public VenueProfile withRejectRate(double v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, v, partialFillProbability, partialFillSlices,
                partialFillInterval);
    }

    public VenueProfile withPartialFillProbability(double v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, v, partialFillSlices, partialFillInterval);
    }

    public VenueProfile withPartialFillSlices(int v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, v, partialFillInterval);
    }

    public VenueProfile withPartialFillInterval(Duration v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices, v);
    }

    /** No randomness in this venue's answers: no jitter, no random rejects, no slicing, exact level sizes. */
    public VenueProfile predictable() {
        return withAckJitter(Duration.ZERO).withRejectRate(0).withPartialFillProbability(0).withSizeJitter(0);
    }
}
