package io.tradergateway.bench;

import io.tradergateway.simvenue.SimVenue;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 in one run: bare QuickFIX/J against the simulated venue (a round trip at a time, then pipelined bursts),
 * then the gateway end to end against the same venue set-up (market plans over raw keep-alive HTTP, {@code filled}
 * reports polled on a raw socket), and both side by side with the ratios the issue sets as targets. Not part of
 * {@code mvn test} (tag {@code benchmark}); run it with
 * <pre>mvn -B test -Dexcluded.groups= -Dgroups=benchmark -Dtest=SideBySideBenchmark</pre>
 * Knobs (system properties) and what each number means: BENCHMARKS.md, "Side by side with bare QuickFIX/J".
 */
@Tag("benchmark")
@Timeout(value = 180, unit = TimeUnit.MINUTES)
class SideBySideBenchmark {
    private static final int PLANS = Integer.getInteger("bench.plans", 20_000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 5_000);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 4);
    private static final int SEGMENT = Integer.getInteger("bench.segment", 2_500);
    private static final int BARE_ROUND_TRIPS = Integer.getInteger("bench.bare.roundTrips", 10_000);
    private static final int BARE_WARMUP = Integer.getInteger("bench.bare.warmup", 20_000);
    private static final int BARE_BURST = Integer.getInteger("bench.bare.burst", 20_000);
    private static final int BARE_BURSTS = Integer.getInteger("bench.bare.bursts", 3);
    private static final int BARE_QTY = Integer.getInteger("bench.bare.qty", 10);
    private static final String BARE_VENUE = System.getProperty("bench.bare.venue", "SIM_DEEP");
    private static final boolean QUIET = "quiet".equals(System.getProperty("bench.log", "file"));
    private static final Duration STALL = Duration.ofSeconds(Long.getLong("bench.stallSeconds", 15));
    /** A run must be this long for its heap series to say "flat": orders stay in memory for a minute or more. */
    private static final double FLAT_NEEDS_SECONDS = 180;
    private static final String PREFIX = "sbs-";
    private static final String ENGINE_THREAD = "engine";

    @TempDir
    Path dir;

    /** Bare QuickFIX/J: round trips (ns) and the orders/s of each measured burst. */
    record Bare(Histogram roundTrip, double[] bursts, long cpuPerOrderNanos, int notFilled, String firstNotFilled) {
        double burst() {
            double[] sorted = bursts.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    /** The gateway end to end over the measured segments. */
    record Gateway(int plans, double plansPerSecond, Histogram postToFilled, long windowNanos, Map<String, Long> cpuByFamily,
                   long processCpuNanos, int refused, String firstRefusal, int lost, int notFilled, String firstNotFilled,
                   HeapCheckpoints heap, String loadBefore, String loadAfter) {
        long cpu(String family) {
            return cpuByFamily.getOrDefault(family, 0L);
        }

        /** The load generator's own threads: clients and the report reader. */
        long loadGeneratorCpu() {
            return cpuByFamily.entrySet().stream().filter(e -> e.getKey().startsWith("bench-"))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    @Test
    void gatewaySideBySideWithBareQuickFixJ() throws Exception {
        Bare bare;
        Gateway gateway;
        // Both phases log alike (the venue's order lines, the gateway's ops and FIX logs) to files, as shipped.
        try (BenchLogging ignored = new BenchLogging(dir.resolve("ops.log"), QUIET, null)) {
            bare = runBare(dir.resolve("bare"));
            gateway = runGateway(dir.resolve("gateway"));
        }
        String table = render(bare, gateway);
        System.out.println(table);
        GatewayBenchmark.writeResults(table);

        assertThat(bare.notFilled()).as("bare QuickFIX/J orders not filled: " + bare.firstNotFilled()).isZero();
        assertThat(gateway.refused()).as("POSTs not answered 202: " + gateway.firstRefusal()).isZero();
        assertThat(gateway.lost()).as("plans without a terminal report").isZero();
        assertThat(gateway.notFilled()).as("plans not filled: " + gateway.firstNotFilled()).isZero();
    }

    // ---------------------------------------------------------------- bare QuickFIX/J

    private static Bare runBare(Path dataDir) {
        try (SimVenue sim = BenchHarness.startSim(dataDir);
             BareFixClient client = BareFixClient.connect(sim, BARE_VENUE, BARE_QTY)) {
            BenchHarness.refillBooks(sim);
            client.roundTrips(BARE_WARMUP);
            client.burst(BARE_WARMUP);
            BenchHarness.refillBooks(sim);
            Histogram roundTrip = client.roundTrips(BARE_ROUND_TRIPS);
            double[] bursts = new double[BARE_BURSTS];
            ThreadCpu cpu = new ThreadCpu();
            cpu.start();
            for (int b = 0; b < BARE_BURSTS; b++) {
                BenchHarness.refillBooks(sim);
                bursts[b] = client.burst(BARE_BURST);
            }
            long cpuPerOrder = cpu.stop().processCpuNanos() / ((long) BARE_BURSTS * BARE_BURST);
            return new Bare(roundTrip, bursts, cpuPerOrder, client.notFilled(), client.firstNotFilled());
        }
    }

    // ---------------------------------------------------------------- the gateway

    private static Gateway runGateway(Path dataDir) throws Exception {
        int total = WARMUP + PLANS;
        long[] postStart = new long[total];
        FilledTimes times = new FilledTimes(PREFIX, postStart, WARMUP);
        HeapCheckpoints heap = new HeapCheckpoints();
        Map<String, Long> cpuByFamily = new TreeMap<>();
        long processCpu = 0;
        long window = 0;
        int ended;
        String loadBefore = GatewayBenchmark.loadAverage();
        PlanLoad load = null;
        try (BenchHarness h = BenchHarness.start(dataDir);
             RawHttpConnection readerSocket = new RawHttpConnection(h.app.httpPort(), BenchHarness.TOKEN)) {
            HttpClient control = BenchHarness.newClient();
            checkpoint(h, control, null, 0);
            long cursor = h.metric(control, "trader_exec_reports_last_sequence");
            List<String> symbols = List.copyOf(h.symbols());
            try (ReportReader reader = new ReportReader(readerSocket::getJson, cursor, times).start()) {
                load = new PlanLoad(h.app.httpPort(), BenchHarness.TOKEN, CLIENTS, i -> plan(i, symbols), postStart);
                load.post(0, WARMUP);
                ended = times.awaitEnded(WARMUP, STALL);
                checkpoint(h, control, heap, 0);
                ThreadCpu cpu = new ThreadCpu();
                for (int from = WARMUP; from < total && ended == from; from += SEGMENT) {
                    int to = Math.min(total, from + SEGMENT);
                    cpu.start();
                    long start = System.nanoTime();
                    load.post(from, to);
                    ended = times.awaitEnded(to, STALL);
                    ThreadCpu.Usage usage = cpu.stop();
                    window += times.lastEndNanos() - start;
                    processCpu += usage.processCpuNanos();
                    usage.cpuByFamily().forEach((k, v) -> cpuByFamily.merge(k, v, Long::sum));
                    checkpoint(h, control, heap, to - WARMUP);
                }
                reader.throwIfFailed();
            } finally {
                if (load != null) load.close();
            }
        }
        int measured = Math.max(0, ended - WARMUP);
        return new Gateway(measured, measured / (window / 1e9), times.postToFilled(), window, cpuByFamily, processCpu,
                load.refused(), load.firstRefusal(), total - ended, times.notFilled(), times.firstNotFilled(), heap,
                loadBefore, GatewayBenchmark.loadAverage());
    }

    /**
     * Between segments, outside the timed windows: books refilled (the market is frozen: nothing else refills what
     * the plans took), the engine idle, then (heap not null) a full GC and the heap used after it.
     */
    private static void checkpoint(BenchHarness h, HttpClient control, HeapCheckpoints heap, long measuredPlans) {
        h.refillBooks();
        h.awaitEngineIdle(control);
        if (heap != null) heap.take(measuredPlans);
    }

    /** Plan number i: rotating over the symbols, long and short by turns per round (positions and books stay balanced). */
    private static String plan(int i, List<String> symbols) {
        String direction = (i / symbols.size()) % 2 == 0 ? "long" : "short";
        return GatewayBenchmark.marketPlan(PREFIX + i, symbols.get(i % symbols.size()), direction).toString();
    }

    // ---------------------------------------------------------------- output

    private static String render(Bare bare, Gateway g) {
        double us = 1000.0;
        double bareP50 = bare.roundTrip().getValueAtPercentile(50) / us;
        double bareP99 = bare.roundTrip().getValueAtPercentile(99) / us;
        double gwP50 = g.postToFilled().getValueAtPercentile(50) / us;
        double gwP99 = g.postToFilled().getValueAtPercentile(99) / us;
        double enginePerPlan = g.cpu(ENGINE_THREAD) / us / Math.max(1, g.plans());
        double measuredSeconds = g.windowNanos() / 1e9;
        HeapCheckpoints.Point middle = g.heap().middle();
        HeapCheckpoints.Point last = g.heap().last();
        double growth = g.heap().secondHalfGrowthPercent();
        boolean longEnough = last.seconds() >= FLAT_NEEDS_SECONDS;

        StringBuilder out = new StringBuilder();
        out.append("\n=== SideBySideBenchmark ").append(LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS)).append(" ===\n");
        out.append(GatewayBenchmark.machine()).append('\n');
        out.append(String.format(Locale.ROOT, "bare QuickFIX/J: %s, MARKET IOC qty %d, %d round trips after %d warm-up, "
                        + "%d bursts of %d; gateway: %d plans after %d warm-up, %d clients (raw keep-alive HTTP), "
                        + "segments of %d, logging %s; venue ack latency 0, frozen market%n", BARE_VENUE, BARE_QTY,
                BARE_ROUND_TRIPS, BARE_WARMUP, BARE_BURSTS, BARE_BURST, PLANS, WARMUP, CLIENTS, SEGMENT,
                QUIET ? "quiet" : "ops + FIX log to a file (as shipped)"));
        out.append("load average (1/5/15 min) before the gateway run ").append(g.loadBefore()).append(", after ")
                .append(g.loadAfter()).append("\n\n");
        out.append("| measure | bare QuickFIX/J | gateway | ratio | target | verdict |\n|---|---|---|---|---|---|\n");
        row(out, "throughput: burst orders/s vs sustained plans/s", f0(bare.burst()), f0(g.plansPerSecond()),
                g.plansPerSecond() / bare.burst(), ">= 0.5x", g.plansPerSecond() >= 0.5 * bare.burst());
        row(out, "latency p50, us: round trip vs POST -> filled readable", f0(bareP50), f0(gwP50), gwP50 / bareP50, "<= 3x",
                gwP50 <= 3 * bareP50);
        row(out, "latency p99, us: round trip vs POST -> filled readable", f0(bareP99), f0(gwP99), gwP99 / bareP99, "<= 5x",
                gwP99 <= 5 * bareP99);
        out.append(String.format(Locale.ROOT, "| engine-thread CPU per plan, us | - | %.1f | - | <= 50 us | %s |%n",
                enginePerPlan, verdict(enginePerPlan <= 50)));
        String flat = longEnough ? verdict(growth <= 10) : "n/a: run under " + (int) FLAT_NEEDS_SECONDS + " s";
        out.append(String.format(Locale.ROOT, "| heap after GC, MB: mid-run vs end | %.1f (at %.0f s) | %.1f (at %.0f s) "
                        + "| %+.1f %% | flat (<= +10 %% over the second half) | %s |%n", middle.heapMb(), middle.seconds(),
                last.heapMb(), last.seconds(), growth, flat));

        out.append("\n--- bare QuickFIX/J ---\n");
        out.append("round trip (send -> terminal ExecutionReport), us: ").append(micros(bare.roundTrip())).append('\n');
        out.append("bursts, orders/s (median used above): ");
        for (double b : bare.bursts()) out.append(f0(b)).append(' ');
        out.append(String.format(Locale.ROOT, "%nwhole-process CPU per order in the bursts (client + venue): %.1f us%n",
                bare.cpuPerOrderNanos() / us));

        out.append("\n--- gateway end to end ---\n");
        out.append(String.format(Locale.ROOT, "%d plans filled in %.1f s measured (segments only, checkpoints left out)%n",
                g.plans(), measuredSeconds));
        out.append("POST -> filled readable, us: ").append(micros(g.postToFilled())).append('\n');
        out.append(String.format(Locale.ROOT, "CPU per plan, us: engine thread %.1f, whole process %.1f "
                        + "(gateway + venue + load), load generator threads %.1f (%.0f %% of one core)%n", enginePerPlan,
                g.processCpuNanos() / us / Math.max(1, g.plans()), g.loadGeneratorCpu() / us / Math.max(1, g.plans()),
                100.0 * g.loadGeneratorCpu() / g.windowNanos()));
        out.append(String.format(Locale.ROOT, "CPU: process %.2f cores busy on average; per thread family (share of one core): ",
                (double) g.processCpuNanos() / g.windowNanos()));
        g.cpuByFamily().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> out.append(String.format(Locale.ROOT, "%s %.0f%%, ", e.getKey(),
                        100.0 * e.getValue() / g.windowNanos())));
        out.append("\nheap after a full GC at the checkpoints (first: after warm-up):\n").append(g.heap().render(20));
        return out.toString();
    }

    private static void row(StringBuilder out, String what, String bare, String gateway, double ratio, String target,
                            boolean met) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2fx | %s | %s |%n", what, bare, gateway, ratio, target,
                verdict(met)));
    }

    private static String verdict(boolean met) {
        return met ? "met" : "not met";
    }

    private static String micros(Histogram h) {
        return String.format(Locale.ROOT, "n=%d p50 %.0f p90 %.0f p99 %.0f max %.0f mean %.0f", h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0, h.getMean() / 1000.0);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
