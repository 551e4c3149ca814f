package io.tradergateway.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradergateway.execution.PlanState;
import io.tradergateway.execution.TradingEngine;
import io.tradergateway.execution.TradingState;
import io.tradergateway.kafka.KafkaBridge;
import io.tradergateway.report.delivery.ConsumerStatus;
import io.tradergateway.report.delivery.ReportDispatcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's metrics (issue 11 item 8) in a Micrometer {@link PrometheusMeterRegistry}, scraped by {@code GET /metrics}:
 * JVM, GC and process meters from Micrometer's binders, and the gateway's own {@code trader_*} series, each registered
 * at start so that it exists (at zero) before its first event. The FIX adapter adds its per-venue meters to the same
 * registry ({@code FixVenueGateway.bindMetrics}).
 * <p>
 * Gauges hold their source strongly (Micrometer's default is a weak reference, which turns a gauge over a method
 * reference into NaN after the next GC).
 * <p>
 * A scrape never waits long for the engine: what only the engine thread knows (plans by state, the kill switch) is
 * asked for at each scrape and waited for at most {@link #ENGINE_WAIT}; a busier engine is shown as of its last answer.
 */
public final class GatewayMetrics implements AutoCloseable {
    /** How long a scrape waits for the engine's answer before showing the previous one. */
    public static final Duration ENGINE_WAIT = Duration.ofMillis(250);
    /** Reasons {@link TradingEngine#ignoredVenueReports()} may count (more are registered as they appear). */
    static final List<String> IGNORED_REASONS = List.of("unknown_order", "duplicate_exec_id", "already_covered", "quarantined");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc;
    private final Set<String> ignoredReasons = ConcurrentHashMap.newKeySet();
    private final Set<String> riskCodes = ConcurrentHashMap.newKeySet();
    private TradingEngine engine;
    private volatile EngineSnapshot snapshot = new EngineSnapshot(Map.of(), false);
    private volatile CompletableFuture<EngineSnapshot> asking;
    /** The journal's counter functions, held here: a function counter holds its object weakly. */
    private List<LongSupplier> journalCounters = List.of();

    private record EngineSnapshot(Map<String, Long> planCounts, boolean killSwitch) {
    }

    private GatewayMetrics(boolean jvm) {
        if (jvm) {
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        } else {
            gc = null;
        }
    }

    /** A registry with the JVM, GC and process meters (the gateway's). */
    public static GatewayMetrics withJvm() {
        return new GatewayMetrics(true);
    }

    /** A registry with the gateway's own meters only (tests that build parts of the gateway). */
    public static GatewayMetrics withoutJvm() {
        return new GatewayMetrics(false);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Registers the Kafka transport's gauges ({@link KafkaBridge#gauges()}: publisher and plan-consumer lag, state and
     * counts), each read from the bridge at every scrape. Called only when Kafka is on.
     */
    public void bindKafka(KafkaBridge kafka) {
        for (KafkaBridge.Gauge g : kafka.gauges()) {
            String name = g.name();
            Gauge.builder(name.replace('_', '.'), kafka, k -> k.gauges().stream().filter(x -> x.name().equals(name))
                            .mapToLong(KafkaBridge.Gauge::value).findFirst().orElse(-1))
                    .tag(g.labelName(), g.labelValue()).description(g.help()).strongReference(true).register(registry);
        }
    }

    /**
     * The engine's journal: batches journaled but not yet in the tables (the projection's lag), batches written and the
     * fsyncs that forced them (fewer: one fsync covers a group, and batches that send nothing wait for the next one), the
     * table transactions that brought them to the tables (fewer again: the projector gathers batches), and whether the
     * engine stopped because its journal failed (fail-stop: a restart replays the journal).
     */
    public void bindJournal(LongSupplier behindInTables, LongSupplier batchesWritten, LongSupplier syncs,
                            LongSupplier tableWrites, BooleanSupplier engineStopped) {
        Gauge.builder("trader.journal.batches.behind", behindInTables, LongSupplier::getAsLong)
                .description("journal batches the database tables do not hold yet").strongReference(true).register(registry);
        journalCounters = List.of(batchesWritten, syncs, tableWrites);
        FunctionCounter.builder("trader.journal.table.writes", tableWrites, LongSupplier::getAsLong)
                .description("database transactions that brought journal batches to the tables (each holds many)")
                .register(registry);
        FunctionCounter.builder("trader.journal.batches", batchesWritten, LongSupplier::getAsLong)
                .description("engine batches committed to the journal").register(registry);
        FunctionCounter.builder("trader.journal.syncs", syncs, LongSupplier::getAsLong)
                .description("fsyncs of the journal (each forces every batch written before it)").register(registry);
        Gauge.builder("trader.engine.stopped", engineStopped, s -> s.getAsBoolean() ? 1 : 0)
                .description("1 when the engine stopped because its journal failed").strongReference(true).register(registry);
    }

    /** Buckets of the journal fsync histogram: a flush takes ≈ 0.1–0.5 ms on a good day, a stalled device seconds. */
    private static final Duration[] FSYNC_BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};

    /**
     * The journal's fsync histogram ({@code trader_journal_fsync_seconds}): every plan's order waits for one before it
     * leaves, and its fill for another before the report is readable, so this is the floor of the gateway's latency.
     * Returns what the journal tells each fsync's duration (ns).
     */
    public LongConsumer journalFsyncTimer() {
        Timer timer = Timer.builder("trader.journal.fsync")
                .description("time the journal's fsync took (each forces every batch written before it)")
                .serviceLevelObjectives(FSYNC_BUCKETS).register(registry);
        return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Registers the gateway's own series: sessions, engine, exec-reports and consumers.
     *
     * @param sessions     per venue, logged on or not (every configured venue)
     * @param lastSequence the newest exec-report's sequence
     * @param dispatcher   report delivery (null: no consumer series)
     */
    public void bindGateway(TradingEngine engine, Supplier<Map<String, Boolean>> sessions, LongSupplier lastSequence,
                            ReportDispatcher dispatcher) {
        this.engine = engine;
        for (String venue : sessions.get().keySet()) {
            Gauge.builder("trader.fix.session.up", sessions, s -> Boolean.TRUE.equals(s.get().get(venue)) ? 1 : 0)
                    .tag("venue", venue).description("1 when the venue's FIX session is logged on").strongReference(true).register(registry);
        }
        Gauge.builder("trader.engine.backlog", engine, TradingEngine::backlog)
                .description("events waiting for the trading engine").strongReference(true).register(registry);
        Gauge.builder("trader.exec.reports.last.sequence", lastSequence, s -> s.getAsLong())
                .description("sequence of the newest exec-report").strongReference(true).register(registry);
        Gauge.builder("trader.plan.flags", engine, TradingEngine::needingAttention)
                .description("what the gateway stopped retrying on open plans (see progress.attention)").strongReference(true).register(registry);
        for (PlanState state : PlanState.values()) {
            String name = state.wireName();
            Gauge.builder("trader.plans", this, m -> m.snapshot.planCounts().getOrDefault(name, 0L))
                    .tag("state", name).description("plans the engine holds, by state (open plans; an ended plan leaves it)")
                    .strongReference(true).register(registry);
        }
        Gauge.builder("trader.kill.switch.engaged", this, m -> m.snapshot.killSwitch() ? 1 : 0)
                .description("1 while the kill switch is engaged: working entries cancelled, new plans refused")
                .strongReference(true).register(registry);
        // A gateway that runs its engine is the active one (a hot standby answers /metrics from its own small server).
        for (String role : List.of("active", "standby")) {
            Gauge.builder("trader.ha.role", () -> role.equals("active") ? 1 : 0).tag("role", role)
                    .description("1 for this gateway's role (active, standby: see ha.standby)").strongReference(true).register(registry);
        }
        for (TradingState state : TradingState.values()) {
            Gauge.builder("trader.trading.state", engine, e -> e.tradingState() == state ? 1 : 0).tag("state", state.wireName())
                    .description("1 for the trading state in force (active, reducing, halted)").strongReference(true).register(registry);
        }
        FunctionCounter.builder("trader.market.data.ignored", engine, TradingEngine::ignoredMarketData)
                .description("market-data facts about symbols the gateway neither asked the venue for nor knows, dropped")
                .register(registry);
        registerEngineCounters();
        if (dispatcher != null) {
            // Pushed consumers only: the gateway does not know how far a pull-only consumer has read.
            dispatcher.status().values().stream().filter(st -> st.state() != ConsumerStatus.State.PULL_ONLY).forEach(st -> {
                String consumer = st.consumer();
                consumerGauge(dispatcher, consumer, "trader.consumer.lag",
                        "exec-reports committed but not yet acknowledged by the consumer (-1 when the outbox cannot be read)", ConsumerStatus::lag);
                consumerGauge(dispatcher, consumer, "trader.consumer.up",
                        "0 while the consumer's current batch is failing and retried with back-off, else 1", s -> s.up() ? 1 : 0);
                consumerGauge(dispatcher, consumer, "trader.consumer.consecutive.failures",
                        "failed pushes of the consumer's current batch since its last acknowledgement", ConsumerStatus::consecutiveFailures);
            });
        }
    }

    private void consumerGauge(ReportDispatcher dispatcher, String consumer, String name, String help, ToDoubleFunction<ConsumerStatus> value) {
        Gauge.builder(name, dispatcher, d -> {
            ConsumerStatus st = d.status().get(consumer);
            return st == null ? Double.NaN : value.applyAsDouble(st);
        }).tag("consumer", consumer).description(help).strongReference(true).register(registry);
    }

    /** Risk denials by code and ignored venue reports by reason: the known ones at once, any new one when it appears. */
    private void registerEngineCounters() {
        TradingEngine e = engine;
        for (String code : e.riskDenials().keySet()) {
            if (riskCodes.add(code)) {
                FunctionCounter.builder("trader.risk.denials", e, en -> en.riskDenials().getOrDefault(code, 0L))
                        .tag("code", code).description("orders the pre-trade risk gate refused, by risk_* code").register(registry);
            }
        }
        Set<String> reasons = new TreeSet<>(IGNORED_REASONS);
        reasons.addAll(e.ignoredVenueReports().keySet());
        for (String reason : reasons) {
            if (ignoredReasons.add(reason)) {
                FunctionCounter.builder("trader.venue.reports.ignored", e, en -> en.ignoredVenueReports().getOrDefault(reason, 0L))
                        .tag("reason", reason).description("venue ExecutionReports not acted on, by reason").register(registry);
            }
        }
    }

    /** Prometheus text (format 0.0.4) of every meter. */
    public String scrape() {
        if (engine != null) {
            registerEngineCounters();
            refreshFromEngine();
        }
        return registry.scrape();
    }

    private void refreshFromEngine() {
        CompletableFuture<EngineSnapshot> pending = asking;
        if (pending == null || pending.isDone()) {
            pending = engine.query(view -> new EngineSnapshot(Map.copyOf(view.planCounts()), view.killSwitchEngaged()));
            pending.thenAccept(s -> snapshot = s);
            asking = pending;
        }
        try {
            snapshot = pending.get(ENGINE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a busy (or stopped) engine: the last answer stands, and this one lands when it comes
        }
    }

    @Override
    public void close() {
        if (gc != null) gc.close();
        registry.close();
    }
}
