package io.tradergateway.plan;

import java.time.Duration;

/**
 * TWAP parameters from {@code execution_params}. Present on every plan (defaults when absent), whatever the
 * strategy. Not range-checked here: {@link PlanValidator} reports {@code slices < 1} or {@code duration_s <= 0}.
 *
 * @param durationS total duration of the schedule in seconds (default 300)
 * @param slices    number of child orders (default 10)
 */
public record TwapParams(long durationS, int slices) {

    public static final long DEFAULT_DURATION_S = 300;
    public static final int DEFAULT_SLICES = 10;
    public static final TwapParams DEFAULT = new TwapParams(DEFAULT_DURATION_S, DEFAULT_SLICES);

    public Duration duration() {
        return Duration.ofSeconds(durationS);
    }
}
