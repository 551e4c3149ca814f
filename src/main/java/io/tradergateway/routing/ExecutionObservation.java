package io.tradergateway.routing;

import java.time.Instant;
import java.util.Objects;

/**
 * What one order sent to a venue taught us about that venue, reported once its outcome is known.
 *
 * <p>Intended use by the engine: one observation per order sent, when the order first fills
 * ({@code success = true}, with its ack latency and the slippage of the fill) or when it is rejected /
 * fails / times out without any fill ({@code success = false}; latency if the venue answered at all,
 * no slippage).
 *
 * @param venue     venue name
 * @param latencyMs order sent → first venue acknowledgement or fill, in ms; {@code null} when the venue
 *                  never answered (the latency average is then left unchanged)
 * @param slippage  signed adverse fraction of the expected price (positive = worse than expected,
 *                  {@code 0.001} = 10 bps); {@code null} when nothing filled
 * @param success   true when the order filled (fully or partly), false on reject / failure / timeout
 * @param time      when the outcome was observed (engine clock)
 */
public record ExecutionObservation(String venue, Long latencyMs, Double slippage, boolean success, Instant time) {
    public ExecutionObservation {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(time, "time");
        if (latencyMs != null && latencyMs < 0) {
            throw new IllegalArgumentException("latency must not be negative: " + latencyMs);
        }
        if (slippage != null && !Double.isFinite(slippage)) {
            throw new IllegalArgumentException("slippage must be finite: " + slippage);
        }
    }

    /** An order that filled: it was acknowledged after {@code latencyMs} and slipped by {@code slippage}. */
    public static ExecutionObservation filled(String venue, long latencyMs, double slippage, Instant time) {
        return new ExecutionObservation(venue, latencyMs, slippage, true, time);
    }

    /** An order the venue rejected (or that failed) without any fill; {@code latencyMs} may be null. */
    public static ExecutionObservation failed(String venue, Long latencyMs, Instant time) {
        return new ExecutionObservation(venue, latencyMs, null, false, time);
    }
}
