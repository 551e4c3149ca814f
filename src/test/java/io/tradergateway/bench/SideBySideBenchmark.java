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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 in one run: bare QuickFIX/J against the simulated venue (a round trip at a time, then pipelined bursts),
 * then the gateway end to end against the same venue set-up (market plans over raw keep-alive HTTP, {@code filled}
 * reports read from the server-sent events stream, or polled), and both side by side with the ratios the issue sets as targets. Not part of
 * {@code mvn test} (tag {@code benchmark}); run it with
 * <pre>mvn -B test -Dexcluded.groups= -Dgroups=benchmark -Dtest=SideBySideBenchmark</pre>
 * Knobs (system properties) and what each number means: BENCHMARKS.md, "Side by side with bare QuickFIX/J".
 */
@Tag("benchmark")
@Timeout(value = 180, unit = TimeUnit.MINUTES)
class SideBySideBenchmark {
    private static final int PLANS = Integer.getInteger("bench.plans", 20_000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 5_000);
    /**
     * After {@code bench.warmup}, warm-up goes on in steps of this many plans until the JIT settles (compiling less
     * than {@code bench.warmup.jitCores} of a core over a step), up to {@code bench.warmup.max} plans in all.
     */
    private static final int WARMUP_STEP = Integer.getInteger("bench.warmup.step", 5_000);
    private static final int WARMUP_MAX = Integer.getInteger("bench.warmup.max", 60_000);
    private static final double JIT_SETTLED = Double.parseDouble(System.getProperty("bench.warmup.jitCores", "0.10"));
    /** Plans per request in the throughput phase: 1 = one POST each; more = NDJSON batches (SPEC 3). */
    private static final int BATCH = Integer.getInteger("bench.batch", 1);
    /**
     * bench.clients: closed-loop clients of the throughput phase, enough to keep the gateway busy as the bare burst keeps
     * its venue busy: 16 single POSTs (4 left a quarter of the CPU idle, bound by the POST → 202 latency), or 4 NDJSON
     * batches (200 plans in flight with batches of 50).
     */
    private static final int CLIENTS = Integer.getInteger("bench.clients", BATCH > 1 ? 4 : 16);
    /**
     * bench.warmup.clients: clients of the warm-up until the JIT settles (then one step more with bench.clients). The JIT
     * gets no CPU while the gateway is saturated (2 cores): 60,000 warm-up plans with 16 or 32 clients left it compiling
     * hot methods through the measured phase, each C2 compile taking 0.1–1 s of wall time.
     */
    private static final int WARMUP_CLIENTS = Integer.getInteger("bench.warmup.clients", Math.min(CLIENTS, 4));
    private static final int LATENCY_PLANS = Integer.getInteger("bench.latency.plans", 2_000);
    /** At most this many plans between two book refills: SIM_CHEAP's thinnest book lasts ≈ 2,000 (BENCHMARKS.md). */
    private static final int SEGMENT = Integer.getInteger("bench.segment", 1_000);
    private static final int BARE_ROUND_TRIPS = Integer.getInteger("bench.bare.roundTrips", 10_000);
    private static final int BARE_WARMUP = Integer.getInteger("bench.bare.warmup", 20_000);
    private static final int BARE_BURST = Integer.getInteger("bench.bare.burst", 20_000);
    private static final int BARE_BURSTS = Integer.getInteger("bench.bare.bursts", 3);
    private static final int BARE_QTY = Integer.getInteger("bench.bare.qty", 10);
    /**
     * Orders of the bare burst run after each segment of the measured gateway phase, on the bare client kept open (0,
     * the default: none): a bare rate from the same stretch of time as the gateway's. Off by default because the bursts
     * slowed the gateway's next segments (BENCHMARKS.md, seventh session).
     */
    private static final int BARE_INTERLEAVED = Integer.getInteger("bench.bare.interleaved", 0);
    private static final String BARE_VENUE = System.getProperty("bench.bare.venue", "SIM_DEEP");
    private static final boolean QUIET = "quiet".equals(System.getProperty("bench.log", "file"));
    /**
     * A file: the 1-client phase split at the ops log's steps, each plan's times written there ({@link StageSplit}). The
     * ops logger then runs at DEBUG with a synchronous appender timing each line: it costs the measured path a little.
     */
    private static final String STAGES = System.getProperty("bench.stages", "");
    private static final Duration STALL = Duration.ofSeconds(Long.getLong("bench.stallSeconds", 15));
    /** A run must be this long for its heap series to say "flat": orders stay in memory for a minute or more. */
    private static final double FLAT_NEEDS_SECONDS = 180;
    private static final String PREFIX = "sbs-";
    /** bench.randomPlanIds: plan ids that start with a scattered head, as upstream UUIDs would, not in number order. */
    private static final boolean RANDOM_IDS = Boolean.getBoolean("bench.randomPlanIds");
    /** bench.reader: stream (GET /v1/exec-reports/stream, the default) or poll (GET /v1/exec-reports pages). */
    private static final boolean STREAM = !"poll".equals(System.getProperty("bench.reader", "stream"));
    private static final String ENGINE_THREAD = "engine";
    /**
     * bench.latency.pace: {@code round-trip} (the default) posts the 1-client phase's next plan once the previous one's
     * end was read, as the bare client sends its next order on the terminal report; {@code answer} posts it on the
     * 202 (what runs before 2026-12-01's fifth session measured: up to ~2 plans in flight).
     */
    private static final boolean ROUND_TRIP = !"answer".equals(System.getProperty("bench.latency.pace", "round-trip"));

    @TempDir
    Path dir;

    /** Bare QuickFIX/J: round trips (ns) and the orders/s of each measured burst. */
    record Bare(Histogram roundTrip, double[] bursts, long cpuPerOrderNanos) {
        double burst() {
            return median(bursts);
        }

        static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    /**
     * The gateway end to end: the throughput phase ({@code bench.clients} clients; its segments carry the heap
     * checkpoints) and the latency phase (one client, one plan at a time, as the bare round trip).
     */
    record Gateway(PlanSegments.Phase load, PlanSegments.Phase single, WarmUp warmUp, int refused, String firstRefusal, int lost,
                   int notFilled, String firstNotFilled, HeapCheckpoints heap, String loadBefore, String loadAfter,
                   JournalUse loadJournal, JournalUse singleJournal, int streamCuts, String stageSplit,
                   double[] interleavedBursts) {
        /** Median of the bare bursts run between the measured segments; 0 when none ran. */
        double interleavedBurst() {
            return interleavedBursts.length == 0 ? 0 : Bare.median(interleavedBursts);
        }
    }

    /** Plans the warm-up took, and the JIT's compiling (in cores busy) over its last step. */
    record WarmUp(int plans, double lastStepJitCores) {
    }

    /**
     * Journal batches written, fsyncs and the seconds they took over a phase (its idle checkpoints included), from the
     * gateway's /metrics.
     */
    record JournalUse(long batches, long syncs, double fsyncSeconds) {
        static JournalUse read(BenchHarness h, HttpClient http) {
            return new JournalUse(h.metric(http, "trader_journal_batches_total"), h.metric(http, "trader_journal_syncs_total"),
                    h.metricValue(http, "trader_journal_fsync_seconds_sum"));
        }

        JournalUse since(JournalUse before) {
            return new JournalUse(batches - before.batches, syncs - before.syncs, fsyncSeconds - before.fsyncSeconds);
        }
    }

    @Test
    void gatewaySideBySideWithBareQuickFixJ() throws Exception {
        Bare bare;
        Gateway gateway;
        // Both phases log alike (the venue's order lines, the gateway's ops and FIX logs) to files, as shipped.
        StageClock stages = STAGES.isEmpty() ? null : new StageClock(PREFIX);
        int bareNotFilled;
        String bareFirstNotFilled;
        try (BenchLogging ignored = new BenchLogging(dir.resolve("ops.log"), QUIET, stages);
             BareSide side = new BareSide(dir.resolve("bare"))) {
            bare = runBare(side.sim, side.client);
            // Without interleaved bursts the bare side is closed first, so that its memory is not in the gateway's heap.
            if (BARE_INTERLEAVED == 0) side.close();
            gateway = runGateway(dir.resolve("gateway"), stages, BARE_INTERLEAVED == 0 ? null : side::burst);
            bareNotFilled = side.client.notFilled();
            bareFirstNotFilled = side.client.firstNotFilled();
        }
        String table = render(bare, gateway);
        System.out.println(table);
        GatewayBenchmark.writeResults(table);

        assertThat(bareNotFilled).as("bare QuickFIX/J orders not filled: " + bareFirstNotFilled).isZero();
        assertThat(gateway.refused()).as("POSTs not answered 202: " + gateway.firstRefusal()).isZero();
        assertThat(gateway.lost()).as("plans without a terminal report").isZero();
        assertThat(gateway.notFilled()).as("plans not filled: " + gateway.firstNotFilled()).isZero();
    }

    // ---------------------------------------------------------------- bare QuickFIX/J

    /** The bare client and its venue, open from the bare phase to the end of the gateway's (or closed early). */
    private static final class BareSide implements AutoCloseable {
        final SimVenue sim;
        final BareFixClient client;
        private boolean closed;

        BareSide(Path dataDir) {
            sim = BenchHarness.startBareSim(dataDir, BARE_VENUE);
            try {
                client = BareFixClient.connect(sim, BenchHarness.bareVenue(BARE_VENUE), BARE_QTY);
            } catch (RuntimeException e) {
                sim.close();
                throw e;
            }
        }

        /** One more bare burst of {@code bench.bare.interleaved} orders on refilled books; orders/s. */
        double burst() {
            BenchHarness.refillBooks(sim);
            return client.burst(BARE_INTERLEAVED);
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            client.close();
            sim.close();
        }
    }

    private static Bare runBare(SimVenue sim, BareFixClient client) {
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
        return new Bare(roundTrip, bursts, cpuPerOrder);
    }

    // ---------------------------------------------------------------- the gateway

    private static Gateway runGateway(Path dataDir, StageClock stages, DoubleSupplier bareBurst) throws Exception {
        long[] postStart = new long[Math.max(WARMUP, WARMUP_MAX) + WARMUP_STEP + PLANS + LATENCY_PLANS];
        FilledTimes times = new FilledTimes(PREFIX, postStart);
        HeapCheckpoints heap = new HeapCheckpoints();
        String loadBefore = GatewayBenchmark.loadAverage();
        try (BenchHarness h = BenchHarness.start(dataDir);
             RawHttpConnection readerSocket = new RawHttpConnection(h.app.httpPort(), BenchHarness.TOKEN)) {
            PlanSegments segments = new PlanSegments(h, times, SEGMENT, STALL);
            segments.settle();
            long cursor = h.metric(BenchHarness.newClient(), "trader_exec_reports_last_sequence");
            List<String> symbols = List.copyOf(h.symbols());
            IntFunction<String> plans = i -> plan(i, symbols);
            int port = h.app.httpPort();
            try (AutoCloseable reader = STREAM ? new StreamReportReader(port, BenchHarness.TOKEN, cursor, times).start()
                    : new ReportReader(readerSocket::getJson, cursor, times).start();
                 PlanLoad many = new PlanLoad(port, BenchHarness.TOKEN, CLIENTS, BATCH, plans, postStart);
                 PlanLoad warm = new PlanLoad(port, BenchHarness.TOKEN, WARMUP_CLIENTS, BATCH, plans, postStart);
                 PlanLoad one = ROUND_TRIP
                         ? new PlanLoad(port, BenchHarness.TOKEN, 1, plans, postStart).oneAtATime(times, STALL)
                         : new PlanLoad(port, BenchHarness.TOKEN, 1, plans, postStart)) {
                var http = BenchHarness.newClient();
                // Warm-up as measured: heap checkpoints (a full GC per segment) included, their series thrown away.
                HeapCheckpoints warmUpHeap = new HeapCheckpoints();
                PlanSegments.Phase warmUp = segments.run(warm, 0, WARMUP, warmUpHeap);
                int warmed = WARMUP;
                while (warmUp.complete() && warmUp.jitCores() > JIT_SETTLED && warmed + WARMUP_STEP <= WARMUP_MAX) {
                    warmUp = segments.run(warm, warmed, warmed + WARMUP_STEP, warmUpHeap);
                    warmed += WARMUP_STEP;
                }
                // What only the measured concurrency reaches (fuller engine batches, more HTTP threads) compiles here.
                if (warmUp.complete() && WARMUP_CLIENTS != CLIENTS) {
                    warmUp = segments.run(many, warmed, warmed + WARMUP_STEP, warmUpHeap);
                    warmed += WARMUP_STEP;
                }
                int total = warmed + PLANS + LATENCY_PLANS;
                heap.take(0);
                JournalUse atStart = JournalUse.read(h, http);
                List<Double> bareBursts = new ArrayList<>();
                Runnable between = bareBurst == null ? null : () -> bareBursts.add(bareBurst.getAsDouble());
                PlanSegments.Phase load = warmUp.complete()
                        ? segments.run(many, warmed, warmed + PLANS, heap, between) : PlanSegments.Phase.SKIPPED;
                JournalUse afterLoad = JournalUse.read(h, http);
                PlanSegments.Phase single = load.complete()
                        ? segments.run(one, warmed + PLANS, total, null) : PlanSegments.Phase.SKIPPED;
                JournalUse afterSingle = JournalUse.read(h, http);
                String split = stages == null || !single.complete() ? null : StageSplit.of(stages, PREFIX, postStart,
                        times.readAt(), warmed + PLANS, total, Path.of(STAGES));
                if (reader instanceof StreamReportReader r) r.throwIfFailed();
                else ((ReportReader) reader).throwIfFailed();
                return new Gateway(load, single, new WarmUp(warmed, warmUp.jitCores()),
                        many.refused() + one.refused() + warm.refused(), Stream.of(warm.firstRefusal(), many.firstRefusal(),
                                one.firstRefusal()).filter(Objects::nonNull).findFirst().orElse(null), total - times.ended(),
                        times.notFilled(), times.firstNotFilled(), heap, loadBefore, GatewayBenchmark.loadAverage(),
                        afterLoad.since(atStart), afterSingle.since(afterLoad),
                        reader instanceof StreamReportReader r ? r.cuts() : 0, split,
                        bareBursts.stream().mapToDouble(Double::doubleValue).toArray());
            }
        }
    }

    /** Plan number i: rotating over the symbols, long and short by turns per round (positions and books stay balanced). */
    private static String plan(int i, List<String> symbols) {
        String direction = (i / symbols.size()) % 2 == 0 ? "long" : "short";
        // Upstream ids (UUIDs) land all over an index on plan_id; golden-ratio hashing scatters 0, 1, 2, ... the same way.
        String id = RANDOM_IDS ? String.format(Locale.ROOT, "%08x-", (int) (i * 0x9E3779B9L)) + PREFIX + i : PREFIX + i;
        return GatewayBenchmark.marketPlan(id, symbols.get(i % symbols.size()), direction).toString();
    }

    // ---------------------------------------------------------------- output

    private static String render(Bare bare, Gateway g) {
        PlanSegments.Phase load = g.load();
        PlanSegments.Phase single = g.single();
        double bareP50 = micros(bare.roundTrip(), 50);
        double bareP99 = micros(bare.roundTrip(), 99);
        double gwP50 = micros(single.postToFilled(), 50);
        double gwP99 = micros(single.postToFilled(), 99);
        double enginePerPlan = perPlanMicros(load, load.cpu(ENGINE_THREAD));
        HeapCheckpoints.Point middle = g.heap().middle();
        HeapCheckpoints.Point last = g.heap().last();
        double growth = g.heap().secondHalfGrowthPercent();

        StringBuilder out = new StringBuilder();
        out.append("\n=== SideBySideBenchmark ").append(LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS)).append(" ===\n");
        out.append(GatewayBenchmark.machine()).append('\n');
        out.append(String.format(Locale.ROOT, "bare QuickFIX/J: %s, MARKET IOC qty %d, %d round trips after %d warm-up, "
                        + "%d bursts of %d; gateway: %d warm-up plans with %d clients, the last %s (JIT then compiling "
                        + "%.2f of a core, wall time), %d plans with %d clients, then %d with 1 %s (raw keep-alive HTTP), "
                        + "segments of %d, logging %s; venue ack latency 0, frozen market%n",
                BARE_VENUE, BARE_QTY, BARE_ROUND_TRIPS, BARE_WARMUP, BARE_BURSTS, BARE_BURST,
                g.warmUp().plans(), WARMUP_CLIENTS, WARMUP_CLIENTS == CLIENTS ? "step too" : WARMUP_STEP + " with " + CLIENTS,
                g.warmUp().lastStepJitCores(), PLANS, CLIENTS, LATENCY_PLANS,
                ROUND_TRIP ? "one at a time" : "posting on each 202", SEGMENT,
                QUIET ? "quiet" : "ops + FIX log to a file (as shipped)"));
        out.append("load average (1/5/15 min) before the gateway run ").append(g.loadBefore()).append(", after ")
                .append(g.loadAfter()).append("\n\n");
        out.append("| measure | bare QuickFIX/J | gateway | ratio | target | verdict |\n|---|---|---|---|---|---|\n");
        row(out, "throughput: burst orders/s vs sustained plans/s (" + CLIENTS + " clients)", f0(bare.burst()),
                f0(load.plansPerSecond()), load.plansPerSecond() / bare.burst(), ">= 0.5x",
                load.plansPerSecond() >= 0.5 * bare.burst());
        if (g.interleavedBursts().length > 0) {
            row(out, "throughput, same stretch of time: bursts of " + BARE_INTERLEAVED + " between the segments (median) vs "
                    + "sustained plans/s", f0(g.interleavedBurst()), f0(load.plansPerSecond()),
                    load.plansPerSecond() / g.interleavedBurst(), ">= 0.5x", load.plansPerSecond() >= 0.5 * g.interleavedBurst());
        }
        row(out, "latency p50, us: round trip vs POST -> filled readable (1 client)", f0(bareP50), f0(gwP50),
                gwP50 / bareP50, "<= 3x", gwP50 <= 3 * bareP50);
        row(out, "latency p99, us: round trip vs POST -> filled readable (1 client)", f0(bareP99), f0(gwP99),
                gwP99 / bareP99, "<= 5x", gwP99 <= 5 * bareP99);
        out.append(String.format(Locale.ROOT, "| engine-thread CPU per plan, us (%d clients) | - | %.1f | - | <= 50 us | %s |%n",
                CLIENTS, enginePerPlan, verdict(enginePerPlan <= 50)));
        String flat = last.seconds() >= FLAT_NEEDS_SECONDS ? verdict(growth <= 10)
                : "n/a: run under " + (int) FLAT_NEEDS_SECONDS + " s";
        out.append(String.format(Locale.ROOT, "| heap after GC, MB: mid-run vs end | %.1f (at %.0f s) | %.1f (at %.0f s) "
                        + "| %+.1f %% | flat (<= +10 %% over the second half) | %s |%n", middle.heapMb(), middle.seconds(),
                last.heapMb(), last.seconds(), growth, flat));

        out.append("\n--- bare QuickFIX/J ---\n");
        out.append("round trip (send -> terminal ExecutionReport), us: ").append(micros(bare.roundTrip())).append('\n');
        out.append("bursts, orders/s (median used above): ");
        for (double b : bare.bursts()) out.append(f0(b)).append(' ');
        out.append(String.format(Locale.ROOT, "%nwhole-process CPU per order in the bursts (client + venue): %.1f us%n",
                bare.cpuPerOrderNanos() / 1000.0));
        if (g.interleavedBursts().length > 0) {
            out.append("bursts of ").append(BARE_INTERLEAVED).append(" between the gateway's measured segments, orders/s: ");
            for (double b : g.interleavedBursts()) out.append(f0(b)).append(' ');
            out.append('\n');
        }

        out.append("\n--- gateway end to end ---\n");
        if (g.streamCuts() > 0) {
            out.append("report stream cut off by the server mid-answer and opened again: ").append(g.streamCuts())
                    .append(" times\n");
        }
        phase(out, CLIENTS + " clients", load, g.loadJournal());
        phase(out, "1 client", single, g.singleJournal());
        if (g.stageSplit() != null) out.append(g.stageSplit());
        out.append("heap after a full GC at the checkpoints of the " + CLIENTS + "-client phase (first: after warm-up):\n")
                .append(g.heap().render(20));
        return out.toString();
    }

    private static void phase(StringBuilder out, String name, PlanSegments.Phase p, JournalUse journal) {
        out.append(String.format(Locale.ROOT, "%s: %d plans filled in %.1f s measured (%.0f plans/s; segments only)%n", name,
                p.plans(), p.windowNanos() / 1e9, p.plansPerSecond()));
        out.append("  POST -> filled readable, us: ").append(micros(p.postToFilled())).append('\n');
        out.append(String.format(Locale.ROOT, "  CPU per plan, us: engine thread %.1f, whole process %.1f (gateway + venue + "
                        + "load), load generator threads %.1f (%.0f %% of one core)%n", perPlanMicros(p, p.cpu(ENGINE_THREAD)),
                perPlanMicros(p, p.processCpuNanos()), perPlanMicros(p, p.loadGeneratorCpu()),
                100.0 * p.loadGeneratorCpu() / p.windowNanos()));
        out.append(String.format(Locale.ROOT, "  journal per plan: %.2f batches, %.2f fsyncs; an fsync took %.0f us on average%n",
                (double) journal.batches() / Math.max(1, p.plans()), (double) journal.syncs() / Math.max(1, p.plans()),
                journal.fsyncSeconds() * 1e6 / Math.max(1, journal.syncs())));
        out.append(String.format(Locale.ROOT, "  CPU: process %.2f cores busy on average (JIT compiling %.2f of them); per "
                + "thread family (share of one core): ", (double) p.processCpuNanos() / p.windowNanos(), p.jitCores()));
        p.cpuByFamily().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> out.append(String.format(Locale.ROOT, "%s %.0f%%, ", e.getKey(),
                        100.0 * e.getValue() / p.windowNanos())));
        out.append('\n');
    }

    private static double perPlanMicros(PlanSegments.Phase p, long nanos) {
        return nanos / 1000.0 / Math.max(1, p.plans());
    }

    private static double micros(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
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
                micros(h, 50), micros(h, 90), micros(h, 99), h.getMaxValue() / 1000.0, h.getMean() / 1000.0);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
