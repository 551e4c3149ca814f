package io.tradergateway.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.system.Plans;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end benchmark of the real stack: market plans posted over HTTP to the gateway, routed over FIX to the
 * bundled simulated venue (answering at once, frozen market), filled, journalled in H2 and read back as
 * {@code filled} exec-reports through {@code GET /v1/exec-reports}. Measures accepted plans per second with 1
 * and with 4 concurrent clients, and per plan the time from POST to its {@code filled} report being readable,
 * split into the steps the ops log records. Not part of {@code mvn test} (tag {@code benchmark}); run it with
 * <pre>mvn -B test -Dexcluded.groups= -Dgroups=benchmark -Dtest='GatewayBenchmark'</pre>
 * Knobs (system properties): {@code bench.plans} (2000), {@code bench.warmup} (200), {@code bench.log}
 * ({@code file}: ops + FIX log to a file as the shipped logback.xml does; {@code quiet}: no log file),
 * {@code bench.jfr} ({@code true}: a JDK Flight Recorder profile of each measured phase, summarised),
 * {@code bench.failOnLostPlans} ({@code true}: fail, after printing the numbers, when a plan never gets a terminal
 * report), {@code bench.stallSeconds} (15: a phase ends when no report arrived for this long).
 * See BENCHMARKS.md for numbers and analysis.
 */
@Tag("benchmark")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class GatewayBenchmark {
    private static final int PLANS = Integer.getInteger("bench.plans", 2000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 200);
    private static final boolean QUIET = "quiet".equals(System.getProperty("bench.log", "file"));
    private static final boolean JFR = Boolean.getBoolean("bench.jfr");
    private static final boolean FAIL_ON_LOST = Boolean.parseBoolean(System.getProperty("bench.failOnLostPlans", "true"));
    /** A phase ends when every plan has a terminal report, or when none arrived for this long (plans lost). */
    private static final Duration STALL = Duration.ofSeconds(Long.getLong("bench.stallSeconds", 15));
    private static final String PREFIX = "bench-";
    private static final String LOST = "lost (no terminal report)";

    @TempDir
    Path dir;

    /** One measured phase: n plans posted by this many clients. */
    record Phase(String name, int plans, int clients, double acceptedPerSecond, double completedPerSecond,
                 Stats post, Stats endToEnd, Stats published, Stats reportLatencyMs, Map<String, Stats> stages,
                 long[] quarterP50Nanos, Map<String, Integer> outcomes, Map<String, Integer> venues,
                 ThreadCpu.Usage cpu, long readerPolls, String profile, List<String> lostPlans, String lostWhy,
                 String loadBefore, String loadAfter) {
    }

    @Test
    void marketPlansFromPostToFilledReport() throws Exception {
        StageClock clock = new StageClock(PREFIX);
        List<Phase> phases = new ArrayList<>();
        try (BenchLogging ignored = new BenchLogging(dir.resolve("gateway-ops.log"), QUIET, clock);
             BenchHarness h = BenchHarness.start(dir)) {
            phases.add(runPhase(h, clock, "warm-up", "w", WARMUP, 1, false));
            phases.add(runPhase(h, clock, "1 client", "a", PLANS, 1, JFR));
            phases.add(runPhase(h, clock, "4 clients", "b", PLANS, 4, JFR));
        }
        String table = render(phases);
        System.out.println(table);
        writeResults(table);

        for (Phase p : phases) {
            // Every plan accounted for: filled (measured) or lost (listed); the market is deep enough for all.
            assertThat(p.endToEnd().count() + p.lostPlans().size()).as(p.name() + " filled + lost" + p.lostWhy()).isEqualTo(p.plans());
            assertThat(p.outcomes().keySet()).as(p.name() + " outcomes").isSubsetOf("filled", LOST);
            assertThat(p.endToEnd().p50()).as(p.name() + " POST -> filled p50 is a real duration").isPositive();
            assertThat(p.acceptedPerSecond()).isPositive();
        }
        if (FAIL_ON_LOST) {
            // A plan whose fill was never booked is a correctness failure of the gateway, not a slow run.
            for (Phase p : phases) {
                assertThat(p.lostPlans()).as(p.name() + ": plans without a terminal report (fill not booked); "
                        + "run with -Dbench.failOnLostPlans=false to get the numbers anyway" + p.lostWhy()).isEmpty();
            }
        }
    }

    /** The percentile helper: nearest rank on a hand-sorted sample. */
    @Test
    void percentilesAreNearestRank() {
        long[] samples = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5}; // 1..10
        Stats s = Stats.of(samples);
        assertThat(s.p50()).isEqualTo(5);   // ceil(0.5 * 10) = 5th smallest
        assertThat(s.p90()).isEqualTo(9);   // ceil(0.9 * 10) = 9th
        assertThat(s.p99()).isEqualTo(10);  // ceil(0.99 * 10) = 10th
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(10);
        assertThat(s.mean()).isEqualTo(5.5);
        assertThat(samples[0]).as("input left unsorted").isEqualTo(10);
    }

    // ---------------------------------------------------------------- one phase

    private Phase runPhase(BenchHarness h, StageClock clock, String name, String tag, int n, int clients, boolean profile)
            throws InterruptedException, ExecutionException {
        HttpClient control = BenchHarness.newClient();
        // A fresh book for every phase (the frozen market never refills what the last phase took), then quiet.
        h.refillBooks();
        h.awaitEngineIdle(control);
        long cursor = h.metric(control, "trader_exec_reports_last_sequence");
        String prefix = PREFIX + tag + "-";
        List<String> symbols = List.copyOf(h.symbols());
        String[] ids = new String[n];
        String[] bodies = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = prefix + i;
            // Rotate symbols, alternate buy and sell per round: positions and books stay balanced.
            String direction = (i / symbols.size()) % 2 == 0 ? "long" : "short";
            bodies[i] = marketPlan(ids[i], symbols.get(i % symbols.size()), direction).toString();
        }
        long[] postStart = new long[n];
        long[] postEnd = new long[n];
        int[] status = new int[n];
        AtomicInteger next = new AtomicInteger();
        ThreadCpu cpu = new ThreadCpu();
        String loadBefore = loadAverage();
        Profiler profiler = profile ? Profiler.start(Path.of("target", "bench", "gateway-" + tag + ".jfr").toAbsolutePath()) : null;
        String profileSummary = null;
        ThreadCpu.Usage usage;
        long phaseStart;
        try (ReportReader reader = new ReportReader(h, prefix, cursor).start()) {
            ExecutorService pool = Executors.newFixedThreadPool(clients, r -> new Thread(r, "bench-client"));
            List<Callable<Void>> work = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                work.add(() -> {
                    HttpClient http = BenchHarness.newClient();
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        postStart[i] = System.nanoTime();
                        HttpResponse<String> r = h.post(http, "/v1/plans", bodies[i]);
                        postEnd[i] = System.nanoTime();
                        status[i] = r.statusCode();
                    }
                    return null;
                });
            }
            cpu.start();
            phaseStart = System.nanoTime();
            try {
                for (Future<Void> f : pool.invokeAll(work)) f.get();
            } finally {
                pool.shutdown();
            }
            long accepted = Arrays.stream(status).filter(s -> s == 202).count();
            long[] progress = {reader.seenCount(), System.nanoTime()};
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                int seenNow = reader.seenCount();
                if (seenNow >= accepted) return true;
                if (seenNow > progress[0]) {
                    progress[0] = seenNow;
                    progress[1] = System.nanoTime();
                }
                return System.nanoTime() - progress[1] > STALL.toNanos();
            });
            usage = cpu.stop();
            if (profiler != null) profileSummary = profiler.stopAndSummarise(System.getProperty("bench.jfr.thread", "engine"), 25);
            assertThat(status).as(name + ": every POST answered 202").containsOnly(202);

            // ---- what was measured
            long lastAccepted = Arrays.stream(postEnd).max().orElse(phaseStart);
            long lastSeen = phaseStart;
            List<String> lost = new ArrayList<>();
            List<String> unfilled = new ArrayList<>();
            long[] e2e = new long[n];
            long[] post = new long[n];
            List<Long> published = new ArrayList<>();
            List<Long> latencyMs = new ArrayList<>();
            Map<String, Integer> outcomes = new TreeMap<>();
            Map<String, Integer> venues = new TreeMap<>();
            Map<String, List<Long>> stages = new LinkedHashMap<>();
            String[] stageNames = {"POST -> validated (HTTP, parse, engine queue)", "validated -> order built (validate, size, route)",
                    "order built -> NewOrderSingle sent (commit plan+order, FIX send)", "sent -> acked (FIX round trip, engine queue)",
                    "acked -> fill handled (FIX, engine queue, fillExists read)", "fill -> filled report published (report, commit)",
                    "published -> readable by the pull reader (poll)"};
            for (String s : stageNames) stages.put(s, new ArrayList<>());
            int filled = 0;
            for (int i = 0; i < n; i++) {
                post[i] = postEnd[i] - postStart[i];
                ReportReader.Seen seen = reader.seen(ids[i]);
                if (seen == null) {
                    lost.add(ids[i]);
                    outcomes.merge(LOST, 1, Integer::sum);
                    continue;
                }
                outcomes.merge(seen.status(), 1, Integer::sum);
                venues.merge(seen.venue(), 1, Integer::sum);
                lastSeen = Math.max(lastSeen, seen.atNanos());
                if (!seen.status().equals("filled")) {
                    unfilled.add(ids[i]);
                    continue;
                }
                e2e[filled++] = seen.atNanos() - postStart[i];
                latencyMs.add(seen.latencyMs());
                long[] t = clock.of(ids[i]);
                if (t == null) continue;
                long[] points = {postStart[i], t[0], t[1], t[2], t[3], t[4], t[5], seen.atNanos()};
                for (int k = 0; k < stageNames.length; k++) {
                    if (points[k] != 0 && points[k + 1] != 0) stages.get(stageNames[k]).add(points[k + 1] - points[k]);
                }
                if (t[StageClock.Stage.REPORTED.ordinal()] != 0) published.add(t[StageClock.Stage.REPORTED.ordinal()] - postStart[i]);
            }
            long[] endToEnd = Arrays.copyOf(e2e, filled);
            long[] quarters = new long[4];
            for (int q = 0; q < 4; q++) {
                quarters[q] = Stats.of(Arrays.copyOfRange(endToEnd, q * filled / 4, (q + 1) * filled / 4)).p50();
            }
            Map<String, Stats> stageStats = new LinkedHashMap<>();
            stages.forEach((k, v) -> stageStats.put(k, Stats.of(toArray(v))));
            double acceptedSeconds = (lastAccepted - phaseStart) / 1e9;
            double completedSeconds = (lastSeen - phaseStart) / 1e9;
            clock.clear();
            List<String> notFilled = new ArrayList<>(lost);
            notFilled.addAll(unfilled);
            String lostWhy = notFilled.isEmpty() ? "" : diagnose(notFilled, dir.resolve("gateway-ops.log"));
            return new Phase(name, n, clients, accepted / acceptedSeconds, filled / completedSeconds, Stats.of(post),
                    Stats.of(endToEnd), Stats.of(toArray(published)), Stats.of(toArray(latencyMs)), stageStats, quarters,
                    outcomes, venues, usage, reader.polls(), profileSummary, lost, lostWhy, loadBefore, loadAverage());
        } finally {
            if (profiler != null) profiler.close();
        }
    }

    /**
     * Why plans have no terminal report or did not fill: the engine's ERROR lines (with the first lines of their stack
     * traces) and the ops log lines of the first few such plans.
     */
    private static String diagnose(List<String> lost, Path log) {
        StringBuilder out = new StringBuilder();
        List<String> lines;
        try {
            lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            return " (cannot read " + log + ": " + e + ")";
        }
        // Every engine failure in the log so far, grouped by exception and throwing frame, then one in full.
        Map<String, Integer> failures = new LinkedHashMap<>();
        int firstError = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).contains(" ERROR ")) continue;
            if (firstError < 0) firstError = i;
            String exception = i + 1 < lines.size() ? lines.get(i + 1).replaceAll("-?\\d+", "N") : "";
            String frame = i + 2 < lines.size() ? lines.get(i + 2).trim() : "";
            failures.merge(lines.get(i).replaceAll("^.* ERROR ", "") + " | " + exception + " | " + frame, 1, Integer::sum);
        }
        failures.forEach((k, v) -> out.append("\n").append(v).append(" x ").append(k));
        if (firstError >= 0) {
            out.append("\n").append(String.join("\n", lines.subList(firstError, Math.min(lines.size(), firstError + 14))));
        }
        for (String id : lost.subList(0, Math.min(3, lost.size()))) {
            out.append("\n").append(id).append(':');
            for (String line : lines) {
                if (line.contains("plan=" + id + " ")) out.append("\n  ").append(line);
            }
        }
        return out.toString();
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** A plain market plan (see {@link Plans#market}), valid long enough for a whole run. */
    static ObjectNode marketPlan(String planId, String symbol, String direction) {
        ObjectNode p = Plans.market(planId, symbol, direction);
        p.put("valid_until", Instant.parse(p.get("created_at").asText()).plus(Duration.ofMinutes(30)).toString());
        return p;
    }

    // ---------------------------------------------------------------- output

    private static String render(List<Phase> phases) {
        StringBuilder out = new StringBuilder();
        out.append("\n=== GatewayBenchmark ").append(LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS)).append(" ===\n");
        out.append(machine()).append('\n');
        out.append(String.format(Locale.ROOT, "plans per phase %d, warm-up %d, logging %s, sun.net.httpserver.nodelay=%s, "
                        + "venue ack latency 0, frozen market%n%n", PLANS, WARMUP,
                QUIET ? "quiet (no log file)" : "ops + FIX log to a file (as shipped)",
                System.getProperty("sun.net.httpserver.nodelay", "false (default)")));
        out.append("| phase | plans | accepted/s | filled/s | POST->202 p50 / p99 ms | POST->filled readable p50 / p90 / p99 / max ms | POST->filled published p50 / p99 ms | report latency_ms p50 / p99 / max |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Phase p : phases) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %s / %s | %s / %s / %s / %s | %s / %s | %d / %d / %d |%n",
                    p.name(), p.plans(), p.acceptedPerSecond(), p.completedPerSecond(), Stats.ms(p.post().p50()), Stats.ms(p.post().p99()),
                    Stats.ms(p.endToEnd().p50()), Stats.ms(p.endToEnd().p90()), Stats.ms(p.endToEnd().p99()), Stats.ms(p.endToEnd().max()),
                    Stats.ms(p.published().p50()), Stats.ms(p.published().p99()),
                    p.reportLatencyMs().p50(), p.reportLatencyMs().p99(), p.reportLatencyMs().max()));
        }
        for (Phase p : phases) {
            out.append("\n--- ").append(p.name()).append(": where the time goes (per plan, ms) ---\n");
            out.append("| step | p50 | p90 | p99 | max | mean |\n|---|---|---|---|---|---|\n");
            p.stages().forEach((k, s) -> out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", k,
                    Stats.ms(s.p50()), Stats.ms(s.p90()), Stats.ms(s.p99()), Stats.ms(s.max()), Stats.ms(s.mean()))));
            out.append("POST -> filled readable, p50 per quarter of the phase (in submission order): ");
            for (long q : p.quarterP50Nanos()) out.append(Stats.ms(q)).append(' ');
            out.append("ms\n");
            out.append("load average (1/5/15 min) before ").append(p.loadBefore()).append(", after ").append(p.loadAfter()).append('\n');
            if (!p.lostPlans().isEmpty()) {
                out.append("!! ").append(p.lostPlans().size()).append(" plan(s) never got a terminal report: ")
                        .append(p.lostPlans()).append(p.lostWhy()).append('\n');
            }
            out.append("outcomes ").append(p.outcomes()).append(", venues ").append(p.venues())
                    .append(", report reader polls ").append(p.readerPolls()).append('\n');
            ThreadCpu.Usage u = p.cpu();
            out.append(String.format(Locale.ROOT, "CPU: process %.2f cores busy on average over %.1f s; GC %d collections, %d ms%n",
                    u.processCores(), u.wallNanos() / 1e9, u.gcCount(), u.gcMillis()));
            out.append("CPU per thread family (share of one core): ");
            u.cpuByFamily().entrySet().stream().limit(10).forEach(e -> out.append(String.format(Locale.ROOT, "%s %.0f%%, ",
                    e.getKey(), 100.0 * e.getValue() / u.wallNanos())));
            out.append('\n');
            if (p.profile() != null) out.append(p.profile());
        }
        return out.toString();
    }

    static String machine() {
        return String.format(Locale.ROOT, "machine: %d CPUs visible to the JVM, %s %s (%s), max heap %d MB, %s %s %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"));
    }

    /** The 1/5/15-minute load averages (Linux): how much else was running on the shared machine. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static void writeResults(String text) {
        try {
            Path dir = Path.of("target", "bench");
            Files.createDirectories(dir);
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Files.writeString(dir.resolve("results-" + stamp + ".txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
