package io.tradergateway.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the gateway has learned about one venue, as exponentially weighted moving averages (EWMA).
 *
 * <h2>Learning rule</h2>
 * For every {@link ExecutionObservation} of this venue, each measured quantity {@code x} updates its
 * average as
 * <pre>   average' = alpha · x + (1 − alpha) · average</pre>
 * with {@code alpha} in (0, 1] (configuration, default {@link #DEFAULT_ALPHA} = 0.2: the newest sample
 * weighs 20 %, a sample {@code n} observations old weighs 0.2·0.8ⁿ). The <b>first</b> sample of a quantity
 * sets its average directly (no bias towards an invented starting value). The three averages are
 * independent, each with its own sample count, because not every observation measures everything:
 * <ul>
 *   <li>{@code avgLatencyMs} — updated when the observation has a latency (the venue answered);</li>
 *   <li>{@code avgSlippage} — updated when the observation has a slippage (something filled); signed
 *       fraction, positive = adverse, so price improvement on one fill offsets slippage on another;</li>
 *   <li>{@code successRate} — updated by every observation with x = 1 (filled) or 0 (rejected/failed).</li>
 * </ul>
 * While a quantity has no sample its average is 0 and meaningless; {@link VenueScorer} uses a
 * documented prior instead ({@link #hasLatency()}, {@link #hasSlippage()}, {@link #hasOutcome()}).
 *
 * <h2>Fading</h2>
 * An average only moves when the venue gets flow, so a venue that had a bad spell would be shunned for
 * ever once it loses the flow. {@link #evidenceWeight} therefore says how much the learned averages still
 * count at a given time: half after one half-life without a new observation, a quarter after two; the
 * scorer fills the rest with its priors ({@link VenueScorer}). The stored averages themselves never change
 * without an observation.
 *
 * <p>Immutable; {@link #update} returns a new record. Meant to be persisted column for column.
 *
 * @param venue            venue name
 * @param avgLatencyMs     EWMA of ack latency in ms (valid when {@code latencySamples > 0})
 * @param avgSlippage      EWMA of signed adverse slippage fraction (valid when {@code slippageSamples > 0})
 * @param successRate      EWMA of outcome, 1 = filled, 0 = rejected/failed (valid when {@code sampleCount > 0})
 * @param sampleCount      number of observations (each updates the success rate)
 * @param latencySamples   number of observations that carried a latency
 * @param slippageSamples  number of observations that carried a slippage
 * @param lastUpdate       time of the latest observation; {@code null} before the first
 */
public record VenueStats(String venue, double avgLatencyMs, double avgSlippage, double successRate,
                         long sampleCount, long latencySamples, long slippageSamples, Instant lastUpdate) {

    /** Default EWMA weight of the newest sample. */
    public static final double DEFAULT_ALPHA = 0.2;

    public VenueStats {
        Objects.requireNonNull(venue, "venue");
        if (sampleCount < 0 || latencySamples < 0 || slippageSamples < 0) {
            throw new IllegalArgumentException("negative sample count for " + venue);
        }
        if (latencySamples > sampleCount || slippageSamples > sampleCount) {
            throw new IllegalArgumentException("per-quantity samples exceed observations for " + venue
                    + ": " + latencySamples + "/" + slippageSamples + " of " + sampleCount);
        }
        if (!Double.isFinite(avgLatencyMs) || avgLatencyMs < 0) {
            throw new IllegalArgumentException("bad average latency for " + venue + ": " + avgLatencyMs);
        }
        if (!Double.isFinite(avgSlippage)) {
            throw new IllegalArgumentException("bad average slippage for " + venue + ": " + avgSlippage);
        }
        if (!(successRate >= 0 && successRate <= 1)) {
            throw new IllegalArgumentException("success rate outside [0, 1] for " + venue + ": " + successRate);
        }
    }

    /** A venue nothing is known about yet. */
    public static VenueStats initial(String venue) {
        return new VenueStats(venue, 0, 0, 0, 0, 0, 0, null);
    }

    /**
     * The stats after one more observation of this venue (see the class comment for the rule).
     *
     * @param alpha EWMA weight of the new sample, in (0, 1]
     * @throws IllegalArgumentException if the observation is for another venue or alpha is out of range
     */
    public VenueStats update(ExecutionObservation observation, double alpha) {
        Objects.requireNonNull(observation, "observation");
        if (!observation.venue().equals(venue)) {
            throw new IllegalArgumentException("observation of " + observation.venue() + " applied to stats of " + venue);
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1]: " + alpha);
        }
        double latency = avgLatencyMs;
        long latencyCount = latencySamples;
        if (observation.latencyMs() != null) {
            latency = ewma(avgLatencyMs, latencySamples, observation.latencyMs(), alpha);
            latencyCount++;
        }
        double slippage = avgSlippage;
        long slippageCount = slippageSamples;
        if (observation.slippage() != null) {
            slippage = ewma(avgSlippage, slippageSamples, observation.slippage(), alpha);
            slippageCount++;
        }
        double success = ewma(successRate, sampleCount, observation.success() ? 1.0 : 0.0, alpha);
        // Rounding could push an EWMA of 0/1 samples a hair outside [0, 1].
        success = Math.min(1.0, Math.max(0.0, success));
        return new VenueStats(venue, latency, slippage, success, sampleCount + 1, latencyCount, slippageCount,
                observation.time());
    }

    /** True once at least one latency has been measured. */
    public boolean hasLatency() {
        return latencySamples > 0;
    }

    /** True once at least one fill's slippage has been measured. */
    public boolean hasSlippage() {
        return slippageSamples > 0;
    }

    /** True once at least one outcome (fill or reject) has been observed. */
    public boolean hasOutcome() {
        return sampleCount > 0;
    }

    /**
     * How much the learned averages count at {@code now}: {@code 0.5^(age / halfLife)} with {@code age} the
     * time since the latest observation (never negative), so 1 right after an observation. 0 before the first
     * observation; 1 for ever if {@code halfLife} is zero (fading switched off).
     *
     * @throws IllegalArgumentException if {@code halfLife} is negative
     */
    public double evidenceWeight(Instant now, Duration halfLife) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(halfLife, "halfLife");
        if (halfLife.isNegative()) {
            throw new IllegalArgumentException("half-life must not be negative: " + halfLife);
        }
        if (lastUpdate == null) return 0.0;
        if (halfLife.isZero()) return 1.0;
        long ageMillis = Math.max(0, Duration.between(lastUpdate, now).toMillis());
        return Math.pow(0.5, (double) ageMillis / halfLife.toMillis());
    }

    private static double ewma(double average, long samples, double sample, double alpha) {
        return samples == 0 ? sample : alpha * sample + (1 - alpha) * average;
    }
}
