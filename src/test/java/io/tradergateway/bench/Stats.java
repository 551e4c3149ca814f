package io.tradergateway.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Percentiles of a set of samples, from a sorted copy (GatewayBenchmark predates HdrHistogram here; a few thousand
 * samples sort in microseconds). Nearest-rank definition: p-th percentile = the smallest sample with at least
 * p % of the samples at or below it.
 */
record Stats(int count, long min, long p50, long p90, long p99, long max, double mean) {

    static Stats of(long[] samples) {
        if (samples.length == 0) return new Stats(0, 0, 0, 0, 0, 0, Double.NaN);
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long s : sorted) sum += s;
        return new Stats(sorted.length, sorted[0], rank(sorted, 50), rank(sorted, 90), rank(sorted, 99),
                sorted[sorted.length - 1], sum / sorted.length);
    }

    /** Nearest rank: index ceil(p/100 * n) - 1. */
    static long rank(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Nanosecond samples shown in milliseconds with two decimals. */
    String nanosAsMillis() {
        if (count == 0) return "n=0";
        return String.format(Locale.ROOT, "n=%d p50 %s p90 %s p99 %s max %s mean %s ms", count, ms(p50), ms(p90),
                ms(p99), ms(max), ms(mean));
    }

    /** Samples already in milliseconds (e.g. the reports' latency_ms). */
    String plainMillis() {
        if (count == 0) return "n=0";
        return String.format(Locale.ROOT, "n=%d p50 %d p90 %d p99 %d max %d mean %.2f ms", count, p50, p90, p99, max, mean);
    }

    static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1_000_000.0);
    }
}
