package io.tradergateway.bench;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Fill;
import io.tradergateway.domain.OrderId;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.execution.Leg;
import io.tradergateway.execution.Order;
import io.tradergateway.execution.OrderStatus;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.PlanProgress;
import io.tradergateway.execution.PlanState;
import io.tradergateway.execution.StoredPlan;
import io.tradergateway.execution.TimeInForce;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.plan.TradingPlan;
import io.tradergateway.position.Position;
import io.tradergateway.position.PositionUpdate;
import io.tradergateway.report.ExecReport;
import io.tradergateway.report.Json;
import io.tradergateway.report.ReportFactory;
import io.tradergateway.report.ReportInput;
import io.tradergateway.routing.VenueStats;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcTradeJournal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Micro benchmark of the journal: {@link JdbcTradeJournal#commit} on H2 in file mode in a temp folder (the
 * gateway's default database), with the rows the engine really writes for a market plan — the order event
 * (plan + order inserted), the ack (order updated), the duplicate check {@code fillExists}, and the fill event
 * (order update + fill + position + report, plus the plan and venue-statistics updates the engine adds when the
 * fill completes the plan). The report row carries a real exec-report built by {@link ReportFactory}. Then:
 * fill events alone back to back (commits per second), the same grouped ten to a transaction (what group
 * commit would give), and H2 with {@code WRITE_DELAY 0} (each commit written to the file at once).
 * Not part of {@code mvn test}; run with
 * <pre>mvn -B test -Dexcluded.groups= -Dgroups=benchmark -Dtest='JournalCommitBenchmark'</pre>
 * Knob: {@code bench.journal.plans} (5000 measured, after 1000 warm-up).
 */
@Tag("benchmark")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class JournalCommitBenchmark {
    private static final int PLANS = Integer.getInteger("bench.journal.plans", 5000);
    private static final int WARMUP = 1000;
    private static final int GROUP = 10;
    private static final String[] SYMBOLS = {"AAPL", "MSFT", "NVDA", "SPY", "TSLA"};
    private static final String[] PRICES = {"190.12", "415.25", "879.47", "519.68", "244.85"};

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final ReportFactory reports = new ReportFactory(clock);
    private final PlanParser parser = new PlanParser();
    private final String progressJson = Json.write(new PlanProgress());
    private final Map<String, Position> positions = new HashMap<>();
    private long reportSequence;
    private long reportBuildNanos;
    private long reportsBuilt;

    /** What one plan's life writes, prepared before timing so that only the journal is measured. */
    private record PlanRows(List<JournalWrite> newOrder, List<JournalWrite> ack, Fill fill, List<JournalWrite> fill4,
                            List<JournalWrite> fill6) {
    }

    @Test
    void commitsOfAMarketPlanOnH2FileMode() throws SQLException {
        Map<String, String> results = new LinkedHashMap<>();
        String loadAtStart = GatewayBenchmark.loadAverage();
        try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("default").resolve("gateway").toAbsolutePath(), "sa", "")) {
            JdbcTradeJournal journal = new JdbcTradeJournal(db);
            // 1. A plan's life, event by event, as the engine commits it.
            List<PlanRows> warm = prepare("w", WARMUP);
            List<PlanRows> plans = prepare("p", PLANS);
            lifeOfPlans(journal, warm);
            Map<String, Stats> life = lifeOfPlans(journal, plans);
            life.forEach((k, v) -> results.put(k, v.nanosAsMillis()));

            // 2. Fill events only, back to back: commits per second.
            List<PlanRows> more = prepare("f", PLANS);
            for (PlanRows p : more) {
                journal.commit(p.newOrder());
                journal.commit(p.ack());
            }
            results.put("fill event, 4 rows (order, fill, position, report) back to back",
                    rate(journal, more.stream().map(PlanRows::fill4).toList(), 1));
            List<PlanRows> more6 = prepare("g", PLANS);
            for (PlanRows p : more6) {
                journal.commit(p.newOrder());
                journal.commit(p.ack());
            }
            results.put("fill event, 6 rows (+ plan, venue stats) back to back",
                    rate(journal, more6.stream().map(PlanRows::fill6).toList(), 1));

            // 3. Group commit: the same 6-row fill events, ten to a transaction.
            List<PlanRows> grouped = prepare("h", PLANS);
            for (PlanRows p : grouped) {
                journal.commit(p.newOrder());
                journal.commit(p.ack());
            }
            results.put("fill event, 6 rows, " + GROUP + " events per commit (group commit)",
                    rate(journal, grouped.stream().map(PlanRows::fill6).toList(), GROUP));
        }

        // 4. H2 writing every commit to the file (WRITE_DELAY 0) instead of within 500 ms in the background.
        try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("sync").resolve("gateway").toAbsolutePath(), "sa", "")) {
            try (Statement st = db.writer().createStatement()) {
                st.execute("SET WRITE_DELAY 0");
            }
            db.writer().commit();
            JdbcTradeJournal journal = new JdbcTradeJournal(db);
            List<PlanRows> plans = prepare("s", Math.min(PLANS, 2000));
            for (PlanRows p : plans) {
                journal.commit(p.newOrder());
                journal.commit(p.ack());
            }
            results.put("fill event, 6 rows, back to back, SET WRITE_DELAY 0",
                    rate(journal, plans.stream().map(PlanRows::fill6).toList(), 1));
        }

        StringBuilder out = new StringBuilder();
        out.append("\n=== JournalCommitBenchmark ").append(LocalDateTime.now().withNano(0)).append(" ===\n");
        out.append(GatewayBenchmark.machine()).append('\n');
        out.append("H2 file mode in a temp folder, ").append(PLANS).append(" plans measured after ").append(WARMUP)
                .append(" warm-up; load average at start ").append(loadAtStart).append('\n');
        out.append(String.format(Locale.ROOT, "building one filled exec-report (ReportFactory.fill + Json.write), outside the journal: %.1f µs%n",
                reportBuildNanos / 1000.0 / reportsBuilt));
        out.append("| what | result |\n|---|---|\n");
        results.forEach((k, v) -> out.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        out.append("load average now: ").append(GatewayBenchmark.loadAverage()).append('\n');
        System.out.println(out);
        GatewayBenchmark.writeResults(out.toString());

        assertThat(results).hasSize(9);
        assertThat(reportSequence).isEqualTo(WARMUP + 4L * PLANS + Math.min(PLANS, 2000));
    }

    /** Commits each plan's events in engine order and times each call. */
    private static Map<String, Stats> lifeOfPlans(JdbcTradeJournal journal, List<PlanRows> plans) {
        int n = plans.size();
        long[] newOrder = new long[n];
        long[] ack = new long[n];
        long[] exists = new long[n];
        long[] fill = new long[n];
        long[] total = new long[n];
        for (int i = 0; i < n; i++) {
            PlanRows p = plans.get(i);
            long a = System.nanoTime();
            journal.commit(p.newOrder());
            long b = System.nanoTime();
            journal.commit(p.ack());
            long c = System.nanoTime();
            boolean duplicate = journal.fillExists(p.fill().venue(), p.fill().clOrdId(), p.fill().execId());
            long d = System.nanoTime();
            journal.commit(p.fill6());
            long e = System.nanoTime();
            if (duplicate) throw new IllegalStateException("fill " + p.fill().execId() + " already stored");
            newOrder[i] = b - a;
            ack[i] = c - b;
            exists[i] = d - c;
            fill[i] = e - d;
            total[i] = e - a;
        }
        Map<String, Stats> out = new LinkedHashMap<>();
        out.put("order event commit (plan + order inserted)", Stats.of(newOrder));
        out.put("ack event commit (order updated)", Stats.of(ack));
        out.put("fillExists read (pooled reader connection)", Stats.of(exists));
        out.put("fill event commit (order, fill, position, report, plan, venue stats)", Stats.of(fill));
        out.put("all of a plan's journal work (the four above)", Stats.of(total));
        return out;
    }

    /** Commits the events {@code perCommit} at a time and reports events per second and per-commit latency. */
    private static String rate(JdbcTradeJournal journal, List<List<JournalWrite>> events, int perCommit) {
        int commits = events.size() / perCommit;
        long[] each = new long[commits];
        long start = System.nanoTime();
        for (int c = 0; c < commits; c++) {
            List<JournalWrite> rows = new ArrayList<>();
            for (int k = 0; k < perCommit; k++) rows.addAll(events.get(c * perCommit + k));
            long a = System.nanoTime();
            journal.commit(rows);
            each[c] = System.nanoTime() - a;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Stats s = Stats.of(each);
        return String.format(Locale.ROOT, "%.0f events/s (%.0f commits/s); per commit p50 %s p99 %s max %s ms",
                commits * perCommit / seconds, commits / seconds, Stats.ms(s.p50()), Stats.ms(s.p99()), Stats.ms(s.max()));
    }

    // ---------------------------------------------------------------- the rows of one plan

    private List<PlanRows> prepare(String tag, int n) {
        List<PlanRows> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(rowsOf(tag, i));
        return out;
    }

    private PlanRows rowsOf(String tag, int i) {
        String planId = "journal-" + tag + "-" + i;
        String symbol = SYMBOLS[i % SYMBOLS.length];
        BigDecimal price = new BigDecimal(PRICES[i % SYMBOLS.length]);
        String venue = "SIM_CHEAP";
        Side side = (i / SYMBOLS.length) % 2 == 0 ? Side.BUY : Side.SELL;
        String planJson = GatewayBenchmark.marketPlan(planId, symbol, side == Side.BUY ? "long" : "short").toString();
        TradingPlan plan = ((ParseResult.Parsed) parser.parse(planJson)).plan();
        Instant now = clock.instant();
        BigDecimal qty = new BigDecimal(10000).divide(price, 0, RoundingMode.DOWN);
        ClOrdId id = new ClOrdId("TG-BENCH-" + tag + "-" + i);
        StoredPlan working = new StoredPlan(planId, "0".repeat(64), planJson, symbol, PlanState.WORKING, progressJson, now, now);
        Order created = new Order(
                new Order.Origin(id, i, planId, Leg.ENTRY, 0, venue, price, 0.975, now),
                new Order.Terms(symbol, side, OrderType.MARKET, TimeInForce.IOC, qty, null, null),
                Order.Progress.pendingNew(now));
        Order acked = created.withVenueAnswer(new OrderId("O-" + tag + "-" + i), now.plusMillis(1)).withStatus(OrderStatus.NEW, null);
        Fill fill = new Fill(venue, new ExecId("E-" + tag + "-" + i), id, symbol, side, qty, price, new BigDecimal("0.0987"), now);
        Order filled = acked.withFill(qty, price, fill.fee()).withStatus(OrderStatus.FILLED, null);
        PositionUpdate update = positions.computeIfAbsent(symbol, Position::flat).apply(fill);
        positions.put(symbol, update.after());
        ReportInput input = new ReportInput(plan, Leg.ENTRY, null, ExecReport.Status.FILLED, filled,
                new ReportInput.LegFigures(side, price, qty, qty, price, 1L, venue, 0.975),
                new ReportInput.Holding(update.after(), price, BigDecimal.ZERO), null, Duration.ZERO, null)
                .withFill(fill, update);
        // What the engine does per fill besides the journal: build the report and write it as JSON.
        long a = System.nanoTime();
        ExecReport report = ReportFactory.withSequence(reports.fill(input), ++reportSequence);
        String reportJson = Json.write(report);
        reportBuildNanos += System.nanoTime() - a;
        reportsBuilt++;
        JournalWrite.PutReport reportRow = new JournalWrite.PutReport(report.sequence(), report.reportId(), planId, id.value(),
                report.status(), report.createdAt(), reportJson);
        StoredPlan done = new StoredPlan(planId, working.contentHash(), planJson, symbol, PlanState.FILLED, progressJson, now, now);
        String stats = Json.write(VenueStats.initial(venue));
        List<JournalWrite> fill4 = List.of(new JournalWrite.PutFill(fill, planId), new JournalWrite.PutPosition(update.after(), now),
                reportRow, new JournalWrite.PutOrder(filled));
        List<JournalWrite> fill6 = List.of(new JournalWrite.PutFill(fill, planId), new JournalWrite.PutPosition(update.after(), now),
                reportRow, new JournalWrite.PutPlan(done), new JournalWrite.PutOrder(filled),
                new JournalWrite.PutVenueStats(venue, stats, now));
        return new PlanRows(List.of(new JournalWrite.PutPlan(working), new JournalWrite.PutOrder(created)),
                List.of(new JournalWrite.PutOrder(acked)), fill, fill4, fill6);
    }
}
