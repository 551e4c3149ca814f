package io.tradergateway.bench;

import org.HdrHistogram.Histogram;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Drives the gateway through numbered plans in segments: each segment is posted by a {@link PlanLoad} and waited for
 * until every plan of it has ended ({@link FilledTimes}); between two segments, outside the timed windows, the books
 * are refilled (the market is frozen: nothing else refills what the plans took), the engine left to go idle and,
 * when asked, the heap measured after a full GC. CPU time per thread is summed over the segments only.
 */
final class PlanSegments {

    /**
     * What one run of segments measured: plans that ended, the sum of the segments' windows (first POST to the last
     * end read), CPU over those windows, POST → {@code filled} readable (ns); {@code complete} false when a wait
     * stalled (plans lost).
     */
    record Phase(int plans, boolean complete, long windowNanos, long processCpuNanos, Map<String, Long> cpuByFamily,
                 Histogram postToFilled, long jitNanos) {
        static final Phase SKIPPED = new Phase(0, false, 0, 0, Map.of(), new Histogram(3), 0);

        /** JIT compilation time over the windows, in cores busy (1.0 = one core compiling the whole time). */
        double jitCores() {
            return windowNanos == 0 ? 0 : (double) jitNanos / windowNanos;
        }

        double plansPerSecond() {
            return plans / (windowNanos / 1e9);
        }

        long cpu(String family) {
            return cpuByFamily.getOrDefault(family, 0L);
        }

        /** The load generator's own threads: clients and the report reader. */
        long loadGeneratorCpu() {
            return cpuByFamily.entrySet().stream().filter(e -> e.getKey().startsWith("bench-"))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    private final BenchHarness h;
    private final HttpClient control = BenchHarness.newClient();
    private final FilledTimes times;
    private final int segment;
    private final Duration stall;
    private final ThreadCpu cpu = new ThreadCpu();
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

    PlanSegments(BenchHarness h, FilledTimes times, int segment, Duration stall) {
        this.h = h;
        this.times = times;
        this.segment = segment;
        this.stall = stall;
    }

    /** Books refilled and the engine idle: what every segment starts from. */
    void settle() {
        h.refillBooks();
        h.awaitEngineIdle(control);
    }

    /** Plans {@code from} to {@code to} (exclusive), all of them before anything else ended; heap: null for none. */
    Phase run(PlanLoad load, int from, int to, HeapCheckpoints heap) throws InterruptedException, ExecutionException {
        return run(load, from, to, heap, null);
    }

    /**
     * As above, with {@code between} (null: nothing) run after each segment once the gateway is idle, outside the timed
     * windows and before the heap is measured (a bare QuickFIX/J burst in the same stretch of time as the segments).
     */
    Phase run(PlanLoad load, int from, int to, HeapCheckpoints heap, Runnable between)
            throws InterruptedException, ExecutionException {
        Map<String, Long> cpuByFamily = new TreeMap<>();
        long window = 0;
        long processCpu = 0;
        long jitMillis = 0;
        int ended = from;
        times.restart();
        for (int a = from, b; a < to && ended == a; a = b) {
            b = Math.min(to, a + segment);
            cpu.start();
            long jitBefore = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            load.post(a, b);
            ended = times.awaitEnded(b, stall);
            ThreadCpu.Usage usage = cpu.stop();
            jitMillis += jit.getTotalCompilationTime() - jitBefore;
            window += times.lastEndNanos() - start;
            processCpu += usage.processCpuNanos();
            usage.cpuByFamily().forEach((k, v) -> cpuByFamily.merge(k, v, Long::sum));
            settle();
            if (between != null) between.run();
            if (heap != null) heap.take(b - from);
        }
        return new Phase(ended - from, ended == to, window, processCpu, cpuByFamily, times.restart(),
                TimeUnit.MILLISECONDS.toNanos(jitMillis));
    }
}
