package io.tradergateway.app;

import io.tradergateway.execution.Order;
import io.tradergateway.execution.TradeJournal;
import io.tradergateway.execution.TradingEngine;
import io.tradergateway.fix.FixVenueGateway;
import io.tradergateway.intake.ApiQueries;
import io.tradergateway.intake.ApiServer;
import io.tradergateway.intake.ReportStreams;
import io.tradergateway.kafka.KafkaBridge;
import io.tradergateway.metrics.GatewayMetrics;
import io.tradergateway.report.ReportOutput;
import io.tradergateway.report.ReportsLog;
import io.tradergateway.report.delivery.ConsumerEndpoint;
import io.tradergateway.report.delivery.DeliveryPolicy;
import io.tradergateway.report.delivery.ReportDispatcher;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcReportOutbox;
import io.tradergateway.store.JdbcTradeJournal;
import io.tradergateway.store.WriteAheadJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/** The gateway assembled: database, engine, FIX sessions, report delivery and the API, started and stopped in order. */
public final class GatewayApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayApp.class);
    private static final Logger OPS = LoggerFactory.getLogger("io.tradergateway.ops");

    private final GatewayConfig config;
    private final Database db;
    private final ReportsLog reportsLog;
    private final ReportDispatcher dispatcher;
    private final TradingEngine engine;
    private final FixVenueGateway fix;
    private final ApiServer api;
    private final TradeJournal journal;
    private final ReportOutput reportOutput;
    /** Null with journal.mode=sql. */
    private final WriteAheadJournal fileJournal;
    /** Size at which a journal file is closed and a new one begun. */
    static final long JOURNAL_SEGMENT_BYTES = 64L * 1024 * 1024;
    private final GatewayMetrics metrics;
    /** Null when kafka.bootstrap.servers is empty. */
    private final KafkaBridge kafka;
    private final BooleanSupplier ready;

    private GatewayApp(GatewayConfig config, Clock clock) {
        this.config = config;
        try {
            Files.createDirectories(config.dataDir());
            Files.createDirectories(config.fixStoreDir());
        } catch (IOException e) {
            throw new ConfigException("setting data.dir (TRADER_DATA_DIR): cannot create " + config.dataDir() + ": " + e.getMessage());
        }
        FixVenueGateway venues = openFix(config, clock);
        this.metrics = GatewayMetrics.withJvm();
        venues.bindMetrics(metrics.registry());
        Database openedDb = openDatabase(config);
        if (config.haStandby()) venues.useJdbcStore(openedDb.pooledDataSource());
        ReportsLog openedLog = null;
        TradingEngine createdEngine = null;
        KafkaBridge createdKafka = null;
        WriteAheadJournal createdJournal = null;
        ReportOutput createdOutput = null;
        try {
            openedLog = new ReportsLog(config.reportsLog());
            ReportsLog reports = openedLog;
            JdbcTradeJournal tables = new JdbcTradeJournal(openedDb);
            // The write-ahead journal replays what the tables miss before anything reads them (the reports log below).
            createdJournal = config.fileJournal() ? WriteAheadJournal.open(openedDb, tables, new WriteAheadJournal.Settings(
                    config.journalDir(), config.journalFsync(), JOURNAL_SEGMENT_BYTES), clock) : null;
            if (createdJournal == null) openedDb.writeEachCommit();
            else createdJournal.timeForces(metrics.journalFsyncTimer());
            TradeJournal journal = createdJournal != null ? createdJournal : tables;
            JdbcReportOutbox outbox = new JdbcReportOutbox(openedDb, clock);
            // A crash between a commit and its append lost the line: the file catches up before anything new is added.
            reports.backfill(outbox);
            List<ConsumerEndpoint> endpoints = new ArrayList<>();
            for (String consumer : GatewayConfig.CONSUMERS) {
                URI url = config.consumerUrls().get(consumer);
                endpoints.add(url == null ? ConsumerEndpoint.pullOnly(consumer) : new ConsumerEndpoint(consumer, url, config.consumerTimeout()));
            }
            this.dispatcher = new ReportDispatcher(outbox, outbox, endpoints, DeliveryPolicy.defaults(), clock);
            createdKafka = config.kafka().enabled() ? new KafkaBridge(config.kafka(), outbox, outbox, clock) : null;
            KafkaBridge kafkaBridge = createdKafka;
            ReportStreams streams = new ReportStreams();
            List<LongConsumer> listeners = new ArrayList<>(List.of(sequence -> dispatcher.wakeUp()));
            if (kafkaBridge != null) listeners.add(sequence -> kafkaBridge.wakeUp());
            createdOutput = new ReportOutput(reports, (json, sequence) -> streams.published(sequence, json), listeners);
            createdEngine = new TradingEngine(journal, venues, venues.venues(), createdOutput, clock,
                    new TradingEngine.Settings(config.portfolioEquity(), config.marketWindow(), config.venueStatsAlpha(),
                            config.venueStatsHalfLife(),
                    Duration.ofMillis(250), config.risk()));
            BooleanSupplier venuesReady = readiness(venues, clock);
            TradingEngine startedEngine = createdEngine;
            this.ready = () -> !startedEngine.stopped() && venuesReady.getAsBoolean();
            ApiQueries queries = new ApiQueries(createdEngine, tables, outbox, venues::sessionStates, dispatcher,
                    venues::sessionStatus, venues, metrics);
            queries.kafka(createdKafka);
            if (createdKafka != null) metrics.bindKafka(createdKafka);
            WriteAheadJournal walForMetrics = createdJournal;
            metrics.bindJournal(() -> walForMetrics == null ? 0 : walForMetrics.journaled() - walForMetrics.inTables(),
                    () -> walForMetrics == null ? 0 : walForMetrics.written(),
                    () -> walForMetrics == null ? 0 : walForMetrics.syncs(),
                    () -> walForMetrics == null ? 0 : walForMetrics.projections(), startedEngine::stopped);
            this.api = openApi(config, createdEngine, queries, ready, streams);
            this.kafka = createdKafka;
            this.engine = createdEngine;
            this.fix = venues;
            this.journal = journal;
            this.fileJournal = createdJournal;
            this.reportOutput = createdOutput;
        } catch (RuntimeException e) {
            // Nothing has started yet; only the engine's ticker, the files and the database are open.
            if (createdEngine != null) closeQuietly(createdEngine);
            if (createdJournal != null) closeQuietly(createdJournal);
            if (createdOutput != null) closeQuietly(createdOutput);
            if (createdKafka != null) closeQuietly(createdKafka);
            if (openedLog != null) closeQuietly(openedLog);
            closeQuietly(openedDb);
            closeQuietly(metrics);
            throw e;
        }
        this.db = openedDb;
        this.reportsLog = openedLog;
    }

    /** The database named by db.url, or the embedded H2 under data.dir; a failure names the setting. */
    private static Database openDatabase(GatewayConfig config) {
        try {
            return Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
        } catch (RuntimeException e) {
            String setting = config.dbUrl().equals(GatewayConfig.defaultDbUrl(config.dataDir()))
                    ? "setting data.dir (TRADER_DATA_DIR), embedded database" : "setting db.url (TRADER_DB_URL)";
            throw new ConfigException(setting + ": " + StartupErrors.oneLine(e), e);
        }
    }

    private static FixVenueGateway openFix(GatewayConfig config, Clock clock) {
        try {
            return new FixVenueGateway(config.fixConfig(), config.fixStoreDir(), config.fixLogDir(), config.fixPortOverrides(), clock);
        } catch (RuntimeException e) {
            throw new ConfigException("setting fix.config (TRADER_FIX_CONFIG): " + StartupErrors.oneLine(e), e);
        }
    }

    /** How long a venue that cannot be reached at start-up holds readiness back before it counts as failed. */
    static final Duration READY_GRACE = Duration.ofSeconds(30);

    /**
     * Ready (SPEC §3 {@code GET /ready}) once every venue session has logged on and its instruments are known (or its
     * SecurityList was refused or not answered: {@link FixVenueGateway#ready()}), and from then on (a later disconnect is
     * a routing matter, not a start-up one). A venue that refuses the logon or the connection counts as failed only after
     * {@link #READY_GRACE}: just after a restart the venues are often a moment behind the gateway.
     */
    static BooleanSupplier readiness(FixVenueGateway fix, Clock clock) {
        AtomicBoolean latched = new AtomicBoolean();
        Instant started = clock.instant();
        return () -> {
            if (latched.get()) return true;
            boolean allUp = fix.sessionStates().values().stream().allMatch(Boolean::booleanValue);
            boolean ready = fix.ready() && (allUp || clock.instant().isAfter(started.plus(READY_GRACE)));
            if (ready) latched.set(true);
            return ready;
        };
    }

    private static ApiServer openApi(GatewayConfig config, TradingEngine engine, ApiQueries queries, BooleanSupplier ready,
                                     ReportStreams streams) {
        try {
            return new ApiServer(config.httpBind(), config.httpPort(), config.apiToken(), config.apiTimeout(), engine, queries,
                    ready, streams);
        } catch (RuntimeException e) {
            throw new ConfigException("setting http.port (TRADER_HTTP_PORT): " + StartupErrors.oneLine(e), e);
        }
    }

    /** Starts everything; on failure, stops what was started and rethrows. */
    public static GatewayApp start(GatewayConfig config, Clock clock) {
        GatewayApp app = new GatewayApp(config, clock);
        try {
            app.engine.start();
            app.fix.start(app.engine);
            app.dispatcher.start();
            if (app.kafka != null) app.kafka.start(app.engine, app.ready);
            app.api.start();
            if (config.haStandby()) app.guardWriterLock();
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        log.info("gateway started: API on port {}, venues {}, data in {}", app.api.port(), app.fix.venues(), config.dataDir().toAbsolutePath());
        return app;
    }

    /** The active gateway's watch over its writer lock (ha.standby): daemon threads, one check every ha.poll.ms. */
    private volatile Thread lockWatch;
    private volatile Thread leaseWatch;
    private final AtomicBoolean failStopping = new AtomicBoolean();
    /**
     * The lease: the writer lock not confirmed for this many polls, and at least {@link #MIN_LEASE} (a busy machine must
     * not stop a healthy active), because the server is unreachable or a check hangs: fail-stop.
     */
    static final int LOCK_CHECK_FAILURES = 10;
    static final Duration MIN_LEASE = Duration.ofSeconds(5);

    /**
     * Hot standby, the active side: the writer lock must stay ours for as long as we trade. It is lost only with the writer's
     * session; then a standby may take it and log on to the venues. So the active stops at once (fail-stop) when the
     * writer, reconnected, finds the lock taken ({@link Database#onWriterLockLost}), when the server says the writer's
     * session no longer holds it, and when the lock has not been confirmed for {@value #LOCK_CHECK_FAILURES} polls (the
     * lease: the server unreachable, or a check hanging on a silent network). A standby can take the lock only once the
     * server has dropped our session, which on a network cut takes the server's TCP keepalive time: set it well above
     * the lease (README, hot standby).
     */
    private void guardWriterLock() {
        db.onWriterLockLost(() -> failStop("another gateway holds the database writer lock"));
        Duration poll = config.haPoll();
        long lease = Math.max(poll.toNanos() * LOCK_CHECK_FAILURES, MIN_LEASE.toNanos());
        AtomicLong confirmed = new AtomicLong(System.nanoTime());
        Thread check = new Thread(() -> {
            while (!failStopping.get()) {
                try {
                    Thread.sleep(poll.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    if (!db.writerHoldsLock()) {
                        failStop("this gateway's database writer session no longer holds the writer lock");
                        return;
                    }
                    confirmed.set(System.nanoTime());
                } catch (RuntimeException e) {
                    log.warn("cannot check the database writer lock: {}", e.getMessage());
                }
            }
        }, "writer-lock-watch");
        // A second thread, so that a check stuck on a silent connection cannot hold the lease open.
        Thread leaseCheck = new Thread(() -> {
            while (!failStopping.get()) {
                try {
                    Thread.sleep(poll.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                long since = System.nanoTime() - confirmed.get();
                if (since > lease) {
                    failStop("the database writer lock has not been confirmed for " + TimeUnit.NANOSECONDS.toMillis(since) + " ms");
                    return;
                }
            }
        }, "writer-lock-lease");
        check.setDaemon(true);
        leaseCheck.setDaemon(true);
        check.start();
        leaseCheck.start();
        lockWatch = check;
        leaseWatch = leaseCheck;
    }

    /**
     * Stops trading at once: FIX sessions first (so the venue sees this gateway go, and a standby can log on), then the
     * process exits with status 3 through the normal shutdown (which closes the rest). Never on the engine thread's stack:
     * the shutdown waits for the engine.
     */
    /** How long a fail-stop gives the orderly shutdown before halting the process. */
    static final Duration FAIL_STOP_GRACE = Duration.ofSeconds(10);

    private void failStop(String why) {
        if (!failStopping.compareAndSet(false, true)) return;
        log.error("FAIL-STOP: {}; stopping the FIX sessions and exiting (status 3) so that only one gateway trades", why);
        Thread t = new Thread(() -> {
            closeQuietly(fix);
            // The orderly shutdown may hang on a dead database connection: the FIX sessions are closed already, so halt.
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(FAIL_STOP_GRACE.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                Runtime.getRuntime().halt(3);
            }, "fail-stop-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(3);
        }, "fail-stop");
        t.start();
    }

    public int httpPort() {
        return api.port();
    }

    public Map<String, Boolean> sessionStates() {
        return fix.sessionStates();
    }

    public FixVenueGateway fix() {
        return fix;
    }

    public GatewayConfig config() {
        return config;
    }

    @Override
    public void close() {
        // Reverse order: stop taking requests, stop the venues talking, drain the engine, then storage.
        for (Thread watch : new Thread[]{lockWatch, leaseWatch}) {
            if (watch != null) watch.interrupt();
        }
        closeQuietly(api);
        if (kafka != null) closeQuietly(kafka);
        closeQuietly(fix);
        closeQuietly(engine);
        logWorkingOrders();
        if (fileJournal != null) closeQuietly(fileJournal);
        closeQuietly(reportOutput);
        closeQuietly(dispatcher);
        closeQuietly(reportsLog);
        closeQuietly(db);
        closeQuietly(metrics);
        log.info("gateway stopped");
    }

    /** Most working orders listed one per line at stop; the rest counted. */
    static final int WORKING_ORDERS_LISTED = 200;

    /**
     * The orders still working at the venues as the gateway stops (they stay there; the next start reconciles them), one
     * ops line each, after the engine's last commit.
     */
    private void logWorkingOrders() {
        try {
            List<Order> working = journal.recover().openOrders();
            if (working.isEmpty()) {
                OPS.info("gateway stopping: no working orders");
                return;
            }
            OPS.warn("gateway stopping with {} working order(s) left at the venues (reconciled at the next start):", working.size());
            working.stream().limit(WORKING_ORDERS_LISTED).forEach(o -> OPS.warn("plan={} clOrdId={} venue={} working at stop: {} {} {} {}"
                    + " @ {} status {} filled {}", o.planId(), o.clOrdId().value(), o.venue(), o.side().wireName(), o.quantity(),
                    o.symbol(), o.type().name().toLowerCase(Locale.ROOT), o.limitPrice() == null ? "market" : o.limitPrice().toPlainString(),
                    o.status(), o.cumQty()));
            if (working.size() > WORKING_ORDERS_LISTED) OPS.warn("... and {} more working orders", working.size() - WORKING_ORDERS_LISTED);
        } catch (RuntimeException e) {
            log.warn("cannot list the working orders at stop: {}", e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("error while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
