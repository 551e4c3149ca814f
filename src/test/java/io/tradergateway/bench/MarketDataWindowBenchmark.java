package io.tradergateway.bench;

import io.tradergateway.market.MarketDataWindow;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long run of one symbol's trade window fed only by inserts (the gateway's case for a symbol no plan is waiting on:
 * nothing queries it), with trade times from a fixed start advancing 10 ms a trade (100 trades/s of simulated time).
 * Prints, every tenth of the run, the trades held, the heap in use after a GC and the insert cost; memory must stay
 * one window (60 s = 6,000 trades), not grow with the run. Not part of {@code mvn test}; run with
 * <pre>mvn -B test -Dexcluded.groups= -Dgroups=benchmark -Dtest='MarketDataWindowBenchmark'</pre>
 * Knob: {@code bench.window.trades} (2,000,000).
 */
@Tag("benchmark")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MarketDataWindowBenchmark {
    private static final int TRADES = Integer.getInteger("bench.window.trades", 2_000_000);
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void memoryStaysFlatOverALongRunOfInserts() {
        MarketDataWindow window = new MarketDataWindow(Duration.ofSeconds(60));
        BigDecimal[] prices = {new BigDecimal("190.12"), new BigDecimal("190.13"), new BigDecimal("190.11")};
        BigDecimal qty = new BigDecimal("100");
        int step = TRADES / 10;
        long maxHeld = 0;
        System.out.printf(Locale.ROOT, "%12s %10s %14s %14s%n", "trades", "held", "heap used MB", "ns / insert");
        long sliceStart = System.nanoTime();
        for (int i = 1; i <= TRADES; i++) {
            window.onTrade(START.plusMillis(10L * i), prices[i % 3], qty);
            maxHeld = Math.max(maxHeld, window.heldTrades());
            if (i % step == 0) {
                double nsPerInsert = (System.nanoTime() - sliceStart) / (double) step;
                System.gc();
                Runtime rt = Runtime.getRuntime();
                double usedMb = (rt.totalMemory() - rt.freeMemory()) / 1e6;
                System.out.printf(Locale.ROOT, "%12d %10d %14.1f %14.1f%n", i, window.heldTrades(), usedMb, nsPerInsert);
                sliceStart = System.nanoTime();
            }
        }
        assertThat(maxHeld).as("most trades held at once").isLessThanOrEqualTo(6_000);
    }
}
